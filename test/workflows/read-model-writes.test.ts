import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { stagesOf } from '../../bench/update-stages';
import { decideShortNoticeUpdate, proposeSlotUpdate } from '../../workflows/update-request.contract';
import { operator, UpdateHarness } from '../support/update-harness';

const DAY_MS = 86_400_000;

/**
 * Since `read-model-once-per-task` a request writes its read model once per workflow task, when the
 * task's work is done, and since `policy-read-locally` it reads its policy without a round trip
 * through the server. What an action's caller waits for shrinks; what it may rely on does not.
 */
describe('managed update: read-model writes per workflow task', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  const readModelRow = async (requestId: string) => {
    const [row] = await h.db.dataSource.query('SELECT status, state_version FROM update_requests WHERE request_id = $1', [requestId]);
    return row as { status: string; state_version: number };
  };

  it('answers a decision after one write, which already shows what the decision led to', async () => {
    const request = await h.request({}, 5);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');

    const receipt = await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'accept', reason: 'engineer available' }] });
    assert.equal(receipt.status, 'scheduling');
    // Read your writes: when the receipt arrives, the read model already holds the state it reports.
    const row = await readModelRow(request.requestId);
    assert.equal(row.status, 'scheduling');
    assert.equal(Number(row.state_version), receipt.version);
    const [audited] = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1 AND action = 'short-notice-accepted'`, [request.requestId]);
    assert.equal(audited.n, 1);

    const history = (await handle.fetchHistory()).events ?? [];
    // Before, the woken wait wrote the decision and the scheduling step's wait wrote again.
    assert.equal(stagesOf(history, 'decideShortNotice').localActivities, 1);
    await handle.terminate('test done');
  });

  it('answers a slot proposal after the reservation check and one write', async () => {
    const request = await h.request({}, 20);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * DAY_MS));
    const receipt = await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik' }] });
    const row = await readModelRow(request.requestId);
    assert.equal(Number(row.state_version), receipt.version);

    const history = (await handle.fetchHistory()).events ?? [];
    assert.equal(stagesOf(history, 'proposeSlot').localActivities, 2);
    await handle.terminate('test done');
  });

  it('reads its policy in the worker, without an activity through the server', async () => {
    const handle = await h.submit(await h.request({}, 20));
    const state = await h.untilStatus(handle, 'scheduling');
    assert.ok(state.policy, 'the policy is loaded');
    const scheduled = ((await handle.fetchHistory()).events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter((name) => name !== undefined);
    assert.ok(!scheduled.includes('loadPolicy'), `activities scheduled: ${scheduled.join(', ')}`);
  });
});
