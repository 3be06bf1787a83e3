import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SimulatedSessionProvider } from '../../activities/session-provider';
import { SimulatedSnapshotProvider } from '../../activities/snapshot-provider';
import type { SnapshotTarget } from '../../workflows/activity-contract';
import {
  acceptSlotUpdate,
  cancelRequestUpdate,
  decideShortNoticeUpdate,
  PRE_CHECKS,
  proposeSlotUpdate,
  recordPreCheckUpdate,
  resolveUserActivityUpdate,
} from '../../workflows/update-request.contract';
import { customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';
import { agreeSlot, passPreChecks, submitAndReachSlot } from './request-driver';

const MINUTE_MS = 60_000;

/** A hypervisor whose snapshots complete only when the test opens the gate (a snapshot of a large VM). */
class GatedSnapshotProvider extends SimulatedSnapshotProvider {
  private open!: () => void;
  readonly gate = new Promise<void>((resolve) => { this.open = resolve; });
  taking = false;

  override async take(target: SnapshotTarget): Promise<string> {
    this.taking = true;
    await this.gate;
    return super.take(target);
  }

  release(): void {
    this.open();
  }
}

async function reservations(h: UpdateHarness, requestId: string): Promise<number> {
  const [{ count }] = await h.db.dataSource.query('SELECT count(*)::int AS count FROM slot_reservations WHERE request_id = $1', [requestId]);
  return count;
}

describe('a cancel is honoured from every step that accepts it', () => {
  let h: UpdateHarness;
  afterEach(async () => { await h?.stop(); });

  it('cancels a short-notice request while the operator has not decided, and says so to the customer', async () => {
    h = await UpdateHarness.start();
    const request = await h.request({}, 3);
    const handle = await h.submit(request);
    const review = await h.untilStatus(handle, 'lead-time-review');
    assert.deepEqual(review.pendingActions.map((a) => [a.update, a.roles]),
      [['decideShortNotice', ['operator']], ['cancelRequest', ['customer', 'operator']]]);
    const receipt = await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'found another way' }] });
    assert.deepEqual(receipt.pendingActions, []);
    assert.equal((await handle.result()).outcome, 'cancelled');
    await h.mailbox.waitForMatch((m) => m.messageId?.includes(`${request.requestId}.cancelled`) ?? false);
    const ids = h.mailbox.messages.map((m) => m.messageId ?? '');
    assert.ok(!ids.some((id) => id.includes('short-notice-declined')), `no "declined" mail (${ids.join(', ')})`);
  });

  it('stops before installing when the cancel arrives while the provider takes the snapshots', async () => {
    const snapshots = new GatedSnapshotProvider();
    h = await UpdateHarness.start({ snapshotProvider: snapshots, sessionProvider: new SimulatedSessionProvider(() => 0) });
    const request = await h.request();
    // A second past the start, not a minute: the held snapshot stops time skipping once it starts.
    const { handle } = await submitAndReachSlot(h, request, 1_000);
    await h.until(handle, (s) => s.status === 'snapshots' && snapshots.taking, 'the snapshot under way');
    assert.equal(await reservations(h, request.requestId), 1);
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'the auditors are in today' }] });
    snapshots.release();
    assert.equal((await handle.result()).outcome, 'cancelled');
    const state = await h.state(handle);
    assert.deepEqual(state.hosts, [], 'nothing was installed');
    assert.deepEqual(state.snapshots.map((s) => s.status), ['deleted']);
    assert.equal(await reservations(h, request.requestId), 0, 'the slot reservation is released');
    assert.ok(state.timeline.some((e) => e.action === 'snapshots-deleted'));
  });
});

describe('postponing and moving a slot', () => {
  let h: UpdateHarness;
  afterEach(async () => { await h?.stop(); });

  it('gives up the reservation on a postponement and runs the pre-checks again for the next slot', async () => {
    h = await UpdateHarness.start({ sessionProvider: new SimulatedSessionProvider(() => 4) });
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    await h.until(handle, (s) => s.userActivity?.activeUsers === 4, 'users active');
    await h.skip(121 * MINUTE_MS);
    await h.until(handle, (s) => s.pendingActions.some((a) => a.update === 'resolveUserActivity'), 'override offered');
    const receipt = await handle.executeUpdate(resolveUserActivityUpdate, { args: [{ actor: operator, decision: 'postpone', reason: 'month-end closing' }] });
    // The receipt names the step the postponement started: the provider deletes the fresh snapshots.
    assert.equal(receipt.status, 'snapshot-deletion');
    const rescheduling = await h.untilStatus(handle, 'scheduling');
    assert.deepEqual(rescheduling.pendingActions.map((a) => a.update), ['proposeSlot', 'cancelRequest']);
    assert.equal(await reservations(h, request.requestId), 0, 'the old slot is no longer reserved');
    const state = await agreeSlot(h, handle, { ...request, submittedAt: new Date(await h.env.currentTimeMs()).toISOString() });
    assert.deepEqual(state.preChecks, {}, 'the earlier results do not count for the new slot');
    assert.deepEqual(state.pendingActions.filter((a) => a.update === 'recordPreCheck').map((a) => a.check), [...PRE_CHECKS]);
    await handle.terminate('test done');
  });

  it('asks for fresh pre-checks when an agreed slot is moved after they passed', async () => {
    h = await UpdateHarness.start();
    const request = await h.request({}, 30);
    const handle = await h.submit(request);
    await agreeSlot(h, handle, request);
    const waiting = await passPreChecks(h, handle);
    const later = h.supportSlotAfter(new Date(Date.parse(waiting.slot!.start) + 2 * 86_400_000));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...later, engineer: 'Erik Engineer' }] });
    await h.untilStatus(handle, 'scheduling');
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    const state = await h.untilStatus(handle, 'pre-checks');
    assert.deepEqual(state.preChecks, {});
    assert.ok(state.timeline.some((e) => e.action === 'reset-for-new-slot'));
    await handle.terminate('test done');
  });
});

describe('inputs that select behaviour, and time', () => {
  let h: UpdateHarness;
  afterEach(async () => { await h?.stop(); });

  it('refuses inherited names and zone-less times without a trace in history', async () => {
    h = await UpdateHarness.start();
    const request = await h.request({}, 3);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    const before = await historyFacts(handle);
    assert.match(await h.refusal(handle, decideShortNoticeUpdate, { actor: operator, decision: 'toString' as never, reason: 'x' }),
      /decision must be one of accept, decline, expedite/);
    assert.match(await h.refusal(handle, recordPreCheckUpdate, { actor: operator, check: 'constructor' as never, passed: true, notes: 'x' }),
      /pre-checks are not open/);
    const receipt = await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'accept', reason: 'we have capacity' }] });
    assert.equal(receipt.status, 'scheduling', 'the receipt names the step the request moved to');
    assert.deepEqual(receipt.pendingActions.map((a) => a.update), ['proposeSlot', 'cancelRequest']);
    const start = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 19);
    assert.match(await h.refusal(handle, proposeSlotUpdate, { actor: operator, start, durationMinutes: 60, engineer: 'Erik' }),
      /start must be an ISO-8601 date-time with a UTC offset/);
    const after = await historyFacts(handle);
    assert.deepEqual(after.acceptedUpdates, [...before.acceptedUpdates, 'decideShortNotice']);
    await handle.terminate('test done');
  });

  it('keeps a month of waiting for active users under 2,000 history events, and alerts operations', async () => {
    h = await UpdateHarness.start({ sessionProvider: new SimulatedSessionProvider(() => 2) });
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    await h.until(handle, (s) => s.userActivity?.activeUsers === 2, 'users active');
    for (let day = 0; day < 30; day++) await h.skip(24 * 60 * MINUTE_MS);
    const state = await h.until(handle, (s) => (s.userActivity?.checks ?? 0) > 20, 'a month of re-checks');
    const { events } = await historyFacts(handle);
    assert.ok(events < 2000, `history has ${events} events`);
    assert.ok(state.timeline.some((e) => e.action === 'escalated' && e.step === 'user-activity'));
    await h.mailbox.waitForMatch((m) => m.messageId?.includes('step-overdue') ?? false);
    await handle.terminate('test done');
  });
});
