import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHistoryFiles, replayHistories } from '../../platform/audit/history-replayer';
import { loadConfig } from '../../platform/config';
import { RECORDED_HISTORIES_DIR } from '../histories/lifecycles';
import { quietTemporalRuntime } from '../support/temporal';
import { bundleChangedWorkflows } from './changed-workflows/bundle';

describe('replaying recorded histories against changed workflow code', () => {
  let dir: string;
  const payloadKeys = loadConfig({}).payloadKeys;
  before(async () => {
    quietTemporalRuntime();
    dir = await mkdtemp(path.join(tmpdir(), 'changed-code-'));
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('names the divergence when a change is not guarded, and replays when it is guarded by patched()', async () => {
    // A recording whose request's first command is an activity (the policy's, before `policy-read-locally`).
    const histories = await readHistoryFiles(path.join(RECORDED_HISTORIES_DIR, 'happy-path.2026-11-23-1840'));
    const [unguarded, guarded] = [await bundleChangedWorkflows(dir, 'unguarded'), await bundleChangedWorkflows(dir, 'patched')];

    const verdicts = await replayHistories(histories, { workflowBundlePath: unguarded, payloadKeys, concurrency: 1 });
    const request = verdicts.find((v) => !v.workflowId.includes('/host/'))!;
    assert.equal(request.deterministic, false);
    assert.match(request.divergence!, /Nondeterminism/i);
    assert.match(request.divergence!, /Timer.*ActivityTaskScheduled/, 'the new timer met the recorded activity');
    assert.ok(verdicts.filter((v) => v.workflowId.includes('/host/')).every((v) => v.deterministic), 'the unchanged host workflow still replays');

    const patchedVerdicts = await replayHistories(histories, { workflowBundlePath: guarded, payloadKeys, concurrency: 1 });
    assert.deepEqual(patchedVerdicts.filter((v) => !v.deterministic).map((v) => v.divergence), []);
  });
});
