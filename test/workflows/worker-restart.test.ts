import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { recordPreCheckUpdate } from '../../workflows/update-request.contract';
import { operator, UpdateHarness } from '../support/update-harness';
import { agreeSlot } from './request-driver';

const DAY_MS = 86_400_000;

describe('managed update: worker restart', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start({ restartsWorker: true }); });
  afterEach(async () => { await h?.stop(); });

  it('continues a request in the middle of its pre-checks on a new worker, losing nothing', async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    await agreeSlot(h, handle, request);
    await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check: 'system-requirements', passed: true, notes: '16 GB RAM free' }] });

    // The slot's mails may still be sending: a worker stopped then leaves their follow-up task to
    // no one, and the test server would run the day below in real time (a CI run timed out so).
    await h.untilSettled(handle);
    await h.stopWorker();
    await h.skip(DAY_MS); // a day with no worker at all: the request waits on the server
    await h.startWorker();

    let state = await h.state(handle);
    assert.equal(state.status, 'pre-checks');
    assert.equal(state.preChecks['system-requirements']?.notes, '16 GB RAM free');
    await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check: 'compatibility', passed: true, notes: 'ok' }] });
    await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check: 'prerequisites', passed: true, notes: 'ok' }] });
    state = await h.untilStatus(handle, 'waiting-for-slot');
    assert.deepEqual(Object.keys(state.preChecks).sort(), ['compatibility', 'prerequisites', 'system-requirements']);
    assert.equal(state.timeline.filter((e) => e.step === 'pre-checks' && e.action.endsWith('-passed')).length, 3, 'no check recorded twice');
    await handle.terminate('test done');
  });
});
