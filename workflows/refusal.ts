import { parseInstant } from './instant';
import type { Actor, ActorRole } from './update-request.contract';

/**
 * Thrown by Update validators: the action is refused with this reason and never enters history.
 * Validators run synchronously and refuse by throwing.
 */
export class Refusal extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Refusal';
  }
}

export function refuseUnless(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new Refusal(reason);
}

/** The actor must hold one of the roles; a customer may act only on its own requests. */
export function requireActor(actor: Actor | undefined, roles: readonly ActorRole[], customerId?: string): void {
  refuseUnless(actor && typeof actor.id === 'string' && actor.id.trim() !== '', 'the actor is missing');
  refuseUnless(roles.includes(actor.role), `role ${actor.role} may not do this; allowed: ${roles.join(', ')}`);
  if (actor.role === 'customer') {
    refuseUnless(actor.customerId === customerId, 'this request belongs to another customer');
  }
}

export function requireText(value: unknown, field: string, max = 4000): void {
  refuseUnless(typeof value === 'string' && value.trim().length > 0, `${field} is required`);
  refuseUnless((value as string).length <= max, `${field} is longer than ${max} characters`);
}

export function requireInstant(value: unknown, field: string): number {
  const ms = parseInstant(value);
  refuseUnless(Number.isFinite(ms), `${field} must be an ISO-8601 date-time with a UTC offset (e.g. 2027-01-12T10:00:00+01:00)`);
  return ms;
}

/** `value` must be an own key of `choices` (never an inherited one such as `toString`). */
export function requireChoice<Choice extends string>(value: unknown, choices: readonly Choice[], field: string): asserts value is Choice {
  refuseUnless(typeof value === 'string' && (choices as readonly string[]).includes(value), `${field} must be one of ${choices.join(', ')}`);
}
