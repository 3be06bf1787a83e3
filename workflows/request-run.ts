import { ActivityFailure, condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Notification, NotificationKind } from './activity-contract';
import { mail, readModel, records } from './activity-profiles';
import { pendingActions } from './pending-actions';
import { Timeline } from './timeline';
import {
  ScheduledStartAttribute,
  UpdateStatusAttribute,
  type UpdatePolicy,
  type UpdateRequest,
  type UpdateRequestState,
  type UpdateStatus,
} from './update-request.contract';

/** Thrown out of any wait once a cancellation has been accepted; the workflow then cleans up. */
export class RequestCancelled extends Error {
  constructor() {
    super('request cancelled');
    this.name = 'RequestCancelled';
  }
}

/**
 * One request's run: its state, its timeline, and the waits that every step uses. Every change
 * bumps `version`; waits publish changes to the read model before sleeping, so the projection and
 * the audit table follow the workflow from one place, in order.
 *
 * Steps read the clock with `new Date()` and `Date.now()`: inside the workflow sandbox both give the
 * workflow's deterministic time, the same on every replay.
 */
export class RequestRun {
  readonly state: UpdateRequestState;
  readonly timeline: Timeline;
  private published = { version: -1, entries: 0 };
  private readonly deliveries: Promise<void>[] = [];

  constructor(request: UpdateRequest) {
    const workflowId = workflowInfo().workflowId;
    this.timeline = new Timeline(workflowId);
    this.state = {
      request,
      status: 'intake',
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

  setStatus(status: UpdateStatus): void {
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
   * meanwhile. Throws RequestCancelled when a cancellation arrives, unless the step is past the point
   * of cancelling (`cancellable: false`).
   */
  async waitUntil(done: () => boolean, timeoutMs?: number, cancellable = true): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const cancelled = () => cancellable && this.state.cancellation !== undefined;
    for (;;) {
      await this.publish();
      if (cancelled()) throw new RequestCancelled();
      if (done()) return true;
      const left = deadline === undefined ? undefined : deadline - Date.now();
      if (left !== undefined && left <= 0) return false;
      const changed = this.state.version;
      const wake = () => done() || cancelled() || this.state.version !== changed;
      if (left === undefined) {
        await condition(wake);
      } else if (!(await condition(wake, left))) {
        await this.publish();
        if (cancelled()) throw new RequestCancelled();
        return done();
      }
    }
  }

  /** Writes the read model and new audit entries when anything changed since the last write. */
  async publish(): Promise<void> {
    this.state.pendingActions = pendingActions(this.state, new Date());
    if (this.published.version === this.state.version) return;
    const newEntries = this.timeline.entries.slice(this.published.entries);
    const version = this.state.version;
    const next = this.state.pendingActions.map((a) => a.deadline).filter((d): d is string => !!d).sort()[0];
    await readModel.syncReadModel({
      workflowId: workflowInfo().workflowId,
      newEntries,
      state: {
        requestId: this.request.requestId,
        customerId: this.request.customerId,
        softwareName: this.request.software.name,
        targetVersion: this.request.software.targetVersion,
        category: this.request.category,
        status: this.state.status,
        outcome: this.state.outcome,
        currentStep: this.state.status,
        scheduledStart: this.state.slot?.start,
        scheduledEnd: this.state.slot?.end,
        nextDeadline: next,
        pendingRoles: [...new Set(this.state.pendingActions.flatMap((a) => a.roles))].sort(),
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
  notify(kind: NotificationKind, audience: Notification['audience'], occurrence: string, extra: Pick<Notification, 'details' | 'calendar'> = {}): void {
    const { requestId, customerId, category, severity, software, timeZone, contacts, targets, expectedDurationMinutes } = this.request;
    const slot = this.state.slot;
    const notification: Notification = {
      kind,
      audience,
      occurrence,
      subject: {
        requestId, customerId, category, severity, software, timeZone, contacts, expectedDurationMinutes,
        targets: targets.map((t) => t.name),
      },
      ...(slot ? { slot: { start: slot.start, end: slot.end, withinSupportHours: slot.withinSupportHours, surcharge: slot.surcharge } } : {}),
      ...(extra.calendar ? { calendar: extra.calendar } : {}),
      ...(extra.details ? { details: extra.details } : {}),
    };
    this.deliveries.push(this.deliver(notification));
  }

  private async deliver(notification: Notification): Promise<void> {
    try {
      await mail.notify(notification);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const reason = err.cause?.message ?? err.message;
      const { kind, audience, occurrence } = notification;
      this.record('customer-notification', 'message-undeliverable', 'system', { kind, audience, occurrence, reason });
      await records.escalateUndeliverable({ notification, reason });
    }
  }

  /** Resolves once every message sent so far is delivered or escalated. */
  async deliveriesSettled(): Promise<void> {
    while (this.deliveries.length > 0) await Promise.all(this.deliveries.splice(0));
  }
}
