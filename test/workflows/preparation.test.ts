import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SimulatedSessionProvider } from '../../activities/session-provider';
import {
  cancelRequestUpdate,
  confirmSnapshotsDeletedUpdate,
  recordPreCheckUpdate,
  recordSnapshotsUpdate,
  reportUserActivityUpdate,
  resolveUserActivityUpdate,
} from '../../workflows/update-request.contract';
import { customerOf, operator, UpdateHarness } from '../support/update-harness';
import { agreeSlot, completeHost, submitAndReachSlot } from './request-driver';

const MINUTE_MS = 60_000;

describe('managed update: pre-checks, users and cancelling (providers simulated)', () => {
  let h: UpdateHarness;
  // Users stay signed in on targets whose name says so; one target logs off after the first check.
  const seen = new Map<string, number>();
  const sessions = new SimulatedSessionProvider((targets) => {
    const name = targets[0];
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (name.startsWith('busy-')) return 3;
    if (name.startsWith('leaving-')) return count === 1 ? 2 : 0;
    return 0;
  });
  beforeEach(async () => { h = await UpdateHarness.start({ sessionProvider: sessions }); });
  afterEach(async () => { await h?.stop(); });

  it('stops at a failed pre-check before anything is changed and returns to scheduling', async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    await agreeSlot(h, handle, request);
    assert.match(await h.refusal(handle, recordPreCheckUpdate, { actor: operator, check: 'compatibility', passed: false, notes: 'old DB driver' }),
      /must say what happens next/);
    await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check: 'compatibility', passed: false, notes: 'needs DB driver 18', onFailure: 'reschedule' }] });
    const state = await h.untilStatus(handle, 'scheduling');
    assert.equal(state.slot, undefined);
    assert.deepEqual(state.preChecks, {});
    assert.deepEqual(state.snapshots, [], 'nothing was changed');
    assert.ok(state.timeline.some((e) => e.action === 'returned-to-scheduling'));
    await handle.terminate('test done');
  });

  it('cancels on a failed pre-check when the operator says so', async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    await agreeSlot(h, handle, request);
    await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check: 'prerequisites', passed: false, notes: 'licence expired', onFailure: 'cancel' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    assert.equal((await h.state(handle)).status, 'cancelled');
  });

  it('tells the customer about active users, re-checks, and proceeds once they are gone', async () => {
    const request = await h.request({ targets: [{ name: `leaving-${Date.now()}`, kind: 'application-server' }] });
    const { handle } = await submitAndReachSlot(h, request);
    let state = await h.until(handle, (s) => s.userActivity?.customerNotified === true, 'the customer to be told');
    assert.equal(state.userActivity?.activeUsers, 2);
    const mail = await h.mailbox.waitForMatch((m) => m.messageId?.includes(`${request.requestId}.users-active`) ?? false);
    assert.match(JSON.stringify(mail.to), /clara@customer\.test/);
    await h.skip(15 * MINUTE_MS);
    state = await h.until(handle, (s) => s.status === 'installation', 'installation after users left');
    assert.equal(state.userActivity?.checks, 2);
    assert.equal(state.userActivity?.activeUsers, 0);
    await handle.terminate('test done');
  });

  it('lets the operator proceed with a reason once the limit has passed, not before', async () => {
    const request = await h.request({ targets: [{ name: `busy-${Date.now()}`, kind: 'application-server' }] });
    const { handle } = await submitAndReachSlot(h, request);
    await h.until(handle, (s) => s.userActivity?.activeUsers === 3, 'users reported active');
    assert.match(await h.refusal(handle, resolveUserActivityUpdate, { actor: operator, decision: 'proceed', reason: 'customer agreed by phone' }),
      /override is possible from/);
    await h.skip(121 * MINUTE_MS);
    const state = await h.until(handle, (s) => s.pendingActions.some((a) => a.update === 'resolveUserActivity'), 'override offered');
    assert.ok(state.userActivity!.checks >= 8, `re-checked every 15 minutes (${state.userActivity!.checks} checks)`);
    await handle.executeUpdate(resolveUserActivityUpdate, { args: [{ actor: operator, decision: 'proceed', reason: 'customer agreed by phone' }] });
    const proceeding = await h.untilStatus(handle, 'installation');
    assert.ok(proceeding.timeline.some((e) => e.action === 'proceeding-despite-active-users' && e.evidence.reason === 'customer agreed by phone'));
    await handle.terminate('test done');
  });

  it('deletes the snapshots the provider took when the customer cancels while users are still active', async () => {
    const request = await h.request({ targets: [{ name: `busy-${Date.now()}`, kind: 'application-server' }] });
    const { handle } = await submitAndReachSlot(h, request);
    const waiting = await h.until(handle, (s) => s.userActivity?.customerNotified === true, 'the customer to be told');
    assert.equal(waiting.snapshots.length, 1);
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'users cannot log off today' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    const state = await h.state(handle);
    assert.deepEqual(state.snapshots.map((s) => [s.snapshotId, s.status]), [[waiting.snapshots[0].snapshotId, 'deleted']]);
    assert.ok(state.timeline.some((e) => e.action === 'snapshots-deleted'));
  });

  it('refuses to cancel once installation has started', async () => {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    const state = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    assert.match(await h.refusal(handle, cancelRequestUpdate, { actor: operator, reason: 'changed our mind' }), /can only be rolled back now/);
    await completeHost(h, state.hosts[0].workflowId, state.hosts[0].target);
    assert.equal((await h.untilStatus(handle, 'functional-testing')).cancellation, undefined);
    await handle.terminate('test done');
  });
});

describe('managed update: operators snapshot and attest by hand (no providers)', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start({ snapshotProvider: 'manual', sessionProvider: 'manual' }); });
  afterEach(async () => { await h?.stop(); });

  it('takes snapshot ids and user attestations from the operator, and confirms deletion on cancel', async () => {
    const request = await h.request({
      clientUpdateIncluded: true,
      targets: [{ name: 'app-m1', kind: 'application-server' }, { name: 'rds-m1', kind: 'client-host' }],
    });
    const { handle } = await submitAndReachSlot(h, request);
    await h.untilStatus(handle, 'snapshots');
    assert.match(await h.refusal(handle, recordSnapshotsUpdate, { actor: operator, snapshots: [{ target: 'app-m1', snapshotId: 'snap-1' }] }),
      /exactly one snapshot for each of: app-m1, rds-m1/);
    await handle.executeUpdate(recordSnapshotsUpdate, { args: [{ actor: operator, snapshots: [
      { target: 'app-m1', snapshotId: 'vm-snap-app' }, { target: 'rds-m1', snapshotId: 'vm-snap-rds' }] }] });
    await h.untilStatus(handle, 'user-activity');
    await handle.executeUpdate(reportUserActivityUpdate, { args: [{ actor: operator, activeUsers: 1, notes: 'one RDS session open' }] });
    await h.until(handle, (s) => s.userActivity?.customerNotified === true, 'customer told');
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: operator, reason: 'customer cannot free the farm today' }] });
    let state = await h.untilStatus(handle, 'snapshot-deletion');
    assert.deepEqual(state.pendingActions.map((a) => a.update), ['confirmSnapshotsDeleted']);
    assert.match(await h.refusal(handle, confirmSnapshotsDeletedUpdate, { actor: operator, snapshotIds: ['vm-snap-app'], notes: 'deleted' }),
      /confirm exactly these snapshots/);
    await handle.executeUpdate(confirmSnapshotsDeletedUpdate, { args: [{ actor: operator, snapshotIds: ['vm-snap-rds', 'vm-snap-app'], notes: 'deleted in vCenter' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    state = await h.state(handle);
    assert.ok(state.snapshots.every((s) => s.status === 'deleted'));
  });
});
