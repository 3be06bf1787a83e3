import { condition, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Notification, NotificationKind, NotificationSubject } from './activity-contract';
import { readModel } from './activity-profiles';
import { deliver } from './delivery';
import { priorityOf } from './priority';
import { Timeline } from './timeline';
import {
  ScheduledStartAttribute,
  UpdateStatusAttribute,
  type ActionReceipt,
  type Actor,
  type PendingAction,
  type UpdateName,
  type UpdatePolicy,
  type UpdateRequest,
  type UpdateRequestState,
  type UpdateStatus,
} from './update-request.contract';
import { openActions, requireDeclared, type DeclaredAction, type WaitDeclaration } from './waits';

/** Thrown out of any wait once a cancellation has been accepted; the workflow then cleans up. */
export class RequestCancelled extends Error {
  constructor() {
    super('request cancelled');
    this.name = 'RequestCancelled';
  }
}

/** Received, not yet reviewed: nothing to do but cancel. */
const RECEIVED: WaitDeclaration = { accepts: () => [], cancellation: { accepted: true } };
const WINDING_DOWN: WaitDeclaration = { accepts: () => [], cancellation: { accepted: false, refusal: 'the request is already being cancelled' } };
const CLOSING: WaitDeclaration = { accepts: () => [], cancellation: { accepted: false, refusal: 'the request is closed' } };

/**
 * One request's run: its state, its timeline, the step it is in with the actions that step
 * declares, and the waits that every step uses. Every change bumps `version`; waits publish changes
 * to the read model before sleeping, so the projection and the audit table follow the workflow from
 * one place, in order.
 *
 * Steps read the clock with `new Date()` and `Date.now()`: inside the workflow sandbox both give the
 * workflow's deterministic time, the same on every replay.
 */
export class RequestRun {
  readonly state: UpdateRequestState;
  readonly timeline: Timeline;
  private published = { version: -1, entries: 0 };
  private readonly deliveries: Promise<void>[] = [];
  private declaration: WaitDeclaration = RECEIVED;
  /** Counts the main flow's moves (a new step, a wait reached); receipts wait for the next one. */
  private moves = 0;
  /** True while the main flow waits for people or time (not while an activity of a step runs). */
  private parked = false;
  /** The final status the run is closing with: receipts still waiting answer with it. */
  private closingAs?: UpdateStatus;
  /** While a proposed slot's reservation is being checked, a second proposal must wait. */
  slotProposalUnderReview = false;

  constructor(request: UpdateRequest) {
    const workflowId = workflowInfo().workflowId;
    this.timeline = new Timeline(workflowId);
    this.state = {
      request,
      status: 'intake',
      priority: priorityOf(request),
      preChecks: {},
      snapshots: [],
      hosts: [],
      pendingActions: [],
      timeline: this.timeline.entries,
      version: 0,
    };
  }

  get request(): UpdateRequest {
    return this.state.request;
  }

  get policy(): UpdatePolicy {
    if (!this.state.policy) throw new Error('policy not loaded yet');
    return this.state.policy;
  }

  /** Marks a change made by a handler or a step, so the next wait publishes it. */
  touch(): void {
    this.state.version += 1;
  }

  record(...args: Parameters<Timeline['record']>): void {
    this.timeline.record(...args);
    this.touch();
  }

  /**
   * Enters a step: from now on `declaration` alone says which actions the request accepts. A
   * cancellation the previous step accepted is honoured first, so no step starts on a cancelled
   * request.
   */
  enter(status: UpdateStatus, declaration: WaitDeclaration): void {
    this.honourCancellation();
    this.declaration = declaration;
    this.moves += 1;
    this.setStatus(status);
  }

  /** Every action the current step declares, cancellation included, as it stands now. */
  declaredActions(): DeclaredAction[] {
    const { cancellation } = this.declaration;
    const cancel: DeclaredAction = {
      update: 'cancelRequest',
      roles: ['customer', 'operator'],
      optional: true,
      description: 'cancel the request: the slot is released, snapshots are deleted and the customer is told',
      ...(this.state.cancellation ? { refusal: 'the request is already being cancelled' } : cancellation.accepted ? {} : { refusal: cancellation.refusal }),
    };
    return [...this.declaration.accepts(Date.now()), cancel];
  }

  pendingActions(): PendingAction[] {
    return openActions(this.declaredActions());
  }

  /**
   * For validators: refuses `update` unless the current step declares it open to `actor` now;
   * returns the matching open actions, against which the validator checks the payload.
   */
  requireDeclared(update: UpdateName, actor: Actor | undefined): PendingAction[] {
    return requireDeclared(this.declaredActions(), update, actor, this.request.customerId, `status ${this.state.status}`);
  }

  /**
   * Carries out an accepted Update's `effect`, then answers once the workflow has acted on it: the
   * status it moved to and the actions now pending, so the caller knows what comes next without
   * asking again. Runs started before receipts waited answered at once, with the state as the
   * action left it.
   */
  act(effect: () => void | Promise<void>): ActionReceipt | Promise<ActionReceipt> {
    const seen = this.moves;
    // While a step's automated work runs (a snapshot being taken), the caller is not kept waiting for it.
    const afterMove = patched('receipts-after-move') && this.parked;
    const answer = (): ActionReceipt => ({ status: this.closingAs ?? this.state.status, version: this.state.version, pendingActions: this.pendingActions() });
    const moved = () => (afterMove ? condition(() => this.moves !== seen) : Promise.resolve());
    const done = effect();
    if (done instanceof Promise) return done.then(moved).then(answer);
    return afterMove ? moved().then(answer) : answer();
  }

  /**
   * The run is ending with `status`: nothing is accepted any more, and receipts still waiting answer
   * at once with that status, before the last messages are delivered and `closed()` records it.
   */
  closing(status: UpdateStatus): void {
    this.declaration = CLOSING;
    this.closingAs = status;
    this.moves += 1;
  }

  closed(): void {
    this.setStatus(this.closingAs!);
  }

  /**
   * Throws RequestCancelled when a cancellation was accepted and the current step winds down on it.
   * Runs started before this check existed skipped it between steps, so replaying them does too.
   */
  honourCancellation(): void {
    if (!this.state.cancellation || !this.declaration.cancellation.accepted) return;
    if (!patched('cancel-honoured-between-steps')) return;
    this.windDown();
  }

  private windDown(): never {
    this.declaration = WINDING_DOWN;
    this.moves += 1;
    throw new RequestCancelled();
  }

  private setStatus(status: UpdateStatus): void {
    if (this.state.status === status) return;
    this.state.status = status;
    this.touch();
    upsertSearchAttributes([{ key: UpdateStatusAttribute, value: status }]);
  }

  setScheduledStart(start: string | undefined): void {
    upsertSearchAttributes([{ key: ScheduledStartAttribute, value: start === undefined ? null : new Date(start) }]);
  }

  /**
   * Waits until `done()` holds or `timeoutMs` passes (true when done), publishing every change made
   * meanwhile. Throws RequestCancelled when a cancellation arrives and the current step declares
   * that it winds down on one.
   */
  async waitUntil(done: () => boolean, timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const cancelled = () => this.declaration.cancellation.accepted && this.state.cancellation !== undefined;
    for (;;) {
      await this.publish();
      if (cancelled()) this.windDown();
      if (done()) return true;
      const left = deadline === undefined ? undefined : deadline - Date.now();
      if (left !== undefined && left <= 0) return false;
      const changed = this.state.version;
      const wake = () => done() || cancelled() || this.state.version !== changed;
      this.moves += 1;
      this.parked = true;
      const waking = left === undefined ? condition(wake).then(() => true) : condition(wake, left);
      const woken = await waking.finally(() => { this.parked = false; });
      if (!woken) {
        await this.publish();
        if (cancelled()) this.windDown();
        return done();
      }
    }
  }

  /** Publishes, then waits for `work` (a host's result): for receipts, that counts as reaching a wait. */
  async waitFor<T>(work: Promise<T>): Promise<T> {
    await this.publish();
    this.moves += 1;
    this.parked = true;
    return work.finally(() => { this.parked = false; });
  }

  /** Writes the read model and new audit entries when anything changed since the last write. */
  async publish(): Promise<void> {
    this.state.pendingActions = this.pendingActions();
    if (this.published.version === this.state.version) return;
    const newEntries = this.timeline.entries.slice(this.published.entries);
    const version = this.state.version;
    const awaited = this.state.pendingActions.filter((a) => !a.optional);
    const next = awaited.map((a) => a.deadline).filter((d): d is string => !!d).sort()[0];
    await readModel.syncReadModel({
      workflowId: workflowInfo().workflowId,
      newEntries,
      state: {
        requestId: this.request.requestId,
        customerId: this.request.customerId,
        softwareName: this.request.software.name,
        targetVersion: this.request.software.targetVersion,
        category: this.request.category,
        priority: this.state.priority.rank,
        status: this.state.status,
        outcome: this.state.outcome,
        currentStep: this.state.status,
        scheduledStart: this.state.slot?.start,
        scheduledEnd: this.state.slot?.end,
        nextDeadline: next,
        pendingRoles: [...new Set(awaited.flatMap((a) => a.roles))].sort(),
        submittedAt: this.request.submittedAt,
        version,
      },
    });
    this.published = { version, entries: this.published.entries + newEntries.length };
  }

  /**
   * Sends a message without holding up the step: a mail relay that is down must not stall an
   * update. A message that finally cannot be delivered is recorded and escalated to operations,
   * never dropped; `deliveriesSettled` lets the run wait for every send before it ends.
   */
  notify(kind: NotificationKind, audience: Notification['audience'], occurrence: string, extra: Pick<Notification, 'details' | 'calendar' | 'partner'> = {}): void {
    const slot = this.state.slot;
    const notification: Notification = {
      kind,
      audience,
      occurrence,
      subject: this.notificationSubject(),
      ...(slot ? { slot: { start: slot.start, end: slot.end, withinSupportHours: slot.withinSupportHours, surcharge: slot.surcharge } } : {}),
      ...(extra.calendar ? { calendar: extra.calendar } : {}),
      ...(extra.details ? { details: extra.details } : {}),
      ...(extra.partner ? { partner: extra.partner } : {}),
    };
    this.deliveries.push(deliver(notification, (reason) =>
      this.record('customer-notification', 'message-undeliverable', 'system', { kind, audience, occurrence, reason })));
  }

  /** Who and what the request's messages are about. */
  notificationSubject(): NotificationSubject {
    const { requestId, customerId, category, severity, criticalSecurity, software, timeZone, contacts, targets, expectedDurationMinutes, classification, downgrade, releaseNotes } = this.request;
    return {
      requestId, customerId, category, severity, criticalSecurity, software, timeZone, contacts, expectedDurationMinutes, targets: targets.map((t) => t.name),
      // Only requests that carry them: a run recorded before they existed sends what it sent then.
      ...(classification ? { classification } : {}),
      ...(downgrade ? { downgrade } : {}),
      ...(releaseNotes ? { releaseNotes } : {}),
    };
  }

  /** Resolves once every message sent so far is delivered or escalated. */
  async deliveriesSettled(): Promise<void> {
    while (this.deliveries.length > 0) await Promise.all(this.deliveries.splice(0));
  }
}
