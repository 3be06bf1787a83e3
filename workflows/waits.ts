import { Refusal, requireActor } from './refusal';
import { ACTOR_ROLES, type Actor, type ActorRole, type PendingAction, type UpdateName } from './update-request.contract';

/**
 * One action a wait declares: which Update, from which roles, and when. An action the wait knows
 * but does not take right now (too late to move the slot, too early to override) carries the
 * reason as `refusal`; it is refused with that reason and not listed as pending.
 */
export interface DeclaredAction extends PendingAction {
  refusal?: string;
}

/**
 * What the procedure waits for at one point: the actions it accepts now (evaluated against the
 * current state and the workflow's clock on every call) and whether a cancellation ends the wait.
 * Validators, the pending actions in the state, the read model and the receipts all derive from
 * this one declaration, so nothing else may say what is legal.
 */
export interface WaitDeclaration {
  accepts(now: number): DeclaredAction[];
  /** Where the request can still wind down, a cancel is accepted; otherwise why it is not. */
  cancellation: { accepted: true } | { accepted: false; refusal: string };
}

/** How a refusal names an action the current step does not declare at all (wording only, no rules). */
const NOT_NOW: Record<UpdateName, string> = {
  decideShortNotice: 'no short-notice decision is pending',
  decideDowngrade: 'no downgrade is waiting for approval',
  proposeSlot: 'slots cannot be proposed now',
  acceptSlot: 'no proposed slot is waiting for acceptance',
  requestAnotherSlot: 'there is no slot to move',
  acceptSlotAsPartner: 'no proposed slot is waiting for a partner\'s acceptance',
  recordPreCheck: 'pre-checks are not open',
  recordSnapshots: 'recording snapshots is not expected now',
  reportUserActivity: 'no user-activity check is open',
  resolveUserActivity: 'no user-activity check is open',
  recordHostStep: 'no host step is expected now',
  decideHostFailure: 'no failed step is waiting for a decision',
  confirmTechnicalTest: 'no automated technical test is waiting for confirmation',
  confirmSnapshotsRestored: 'confirming restored snapshots is not expected now',
  confirmSnapshotsDeleted: 'confirming deleted snapshots is not expected now',
  signOff: 'the update is not waiting for functional tests',
  rejectUpdate: 'the update is not waiting for functional tests',
  resolveRejection: 'no reported failure is waiting for a decision',
  extendRetention: 'snapshots are not in retention',
  cancelRequest: 'the request cannot be cancelled now',
};

/** Why `update` is refused where no step declares it. */
export function notExpected(update: UpdateName, where: string): string {
  return `${Object.hasOwn(NOT_NOW, update) ? NOT_NOW[update] : `${String(update)} is not expected`} (${where})`;
}

/** The actions that `declared` lists as open now. */
export function openActions(declared: readonly DeclaredAction[]): PendingAction[] {
  return declared.filter((a) => a.refusal === undefined).map(({ refusal: _closed, ...action }) => action);
}

/**
 * Refuses `update` from `actor` unless one of the declared actions accepts it now, and returns
 * the open ones for that Update (a validator then checks the payload against them).
 */
export function requireDeclared(
  declared: readonly DeclaredAction[], update: UpdateName, actor: Actor | undefined, customerId: string, where: string,
): PendingAction[] {
  requireActor(actor, ACTOR_ROLES, customerId);
  const candidates = declared.filter((a) => a.update === update);
  if (candidates.length === 0) throw new Refusal(notExpected(update, where));
  requireActor(actor, [...new Set<ActorRole>(candidates.flatMap((a) => a.roles))], customerId);
  const open = openActions(candidates.filter((a) => a.roles.includes(actor!.role)));
  if (open.length === 0) throw new Refusal(candidates.find((a) => a.refusal)?.refusal ?? notExpected(update, where));
  return open;
}
