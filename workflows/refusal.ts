import type { Actor, Role } from './update-request.contract';

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
export function requireActor(actor: Actor | undefined, roles: readonly Role[], customerId?: string): void {
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
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  refuseUnless(Number.isFinite(ms), `${field} must be an ISO-8601 date-time`);
  return ms;
}
