import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UpdateHarness } from '../support/update-harness';

/** Since `policy-read-locally` a request reads the worker's policy without a round trip through the server. */
describe('managed update: the policy read at intake', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  it('is read in the worker, in a local activity, and recorded in the history', async () => {
    const handle = await h.submit(await h.request({}, 20));
    const state = await h.untilStatus(handle, 'scheduling');
    assert.ok(state.policy, 'the policy is loaded');
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter((name) => name !== undefined);
    assert.ok(!scheduled.includes('loadPolicy'), `activities scheduled: ${scheduled.join(', ')}`);
    // Its result is a marker, so a replay reads the policy the run started with.
    const firstMarker = events.find((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    assert.ok(firstMarker, 'the local activity left its marker');
  });
});
