import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleWorkflowCode } from '@temporalio/worker';
import { readHistoryFiles, replayHistories } from '../../platform/audit/history-replayer';
import { loadConfig } from '../../platform/config';
import { payloadDataConverter } from '../../platform/payload-codec';
import { RECORDED_HISTORIES_DIR } from '../histories/lifecycles';
import { quietTemporalRuntime } from '../support/temporal';

const QUIET = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Bundles one of the changed-workflows variants, as `npm run build` bundles the real ones. */
async function bundle(dir: string, variant: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'changed-workflows', `${variant}.workflows.js`), logger: QUIET });
  const file = path.join(dir, `${variant}.js`);
  await writeFile(file, code);
  return file;
}

describe('replaying recorded histories against changed workflow code', () => {
  let dir: string;
  const dataConverter = payloadDataConverter(loadConfig({}).payloadKeys);
  before(async () => {
    quietTemporalRuntime();
    dir = await mkdtemp(path.join(tmpdir(), 'changed-code-'));
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('names the divergence when a change is not guarded, and replays when it is guarded by patched()', async () => {
    const histories = await readHistoryFiles(path.join(RECORDED_HISTORIES_DIR, 'happy-path'));
    const [unguarded, guarded] = [await bundle(dir, 'unguarded'), await bundle(dir, 'patched')];

    const verdicts = await replayHistories(histories, { workflowBundlePath: unguarded, dataConverter });
    const request = verdicts.find((v) => !v.workflowId.includes('/host/'))!;
    assert.equal(request.deterministic, false);
    assert.match(request.divergence!, /Nondeterminism/i);
    assert.match(request.divergence!, /Timer.*ActivityTaskScheduled/, 'the new timer met the recorded activity');
    assert.ok(verdicts.filter((v) => v.workflowId.includes('/host/')).every((v) => v.deterministic), 'the unchanged host workflow still replays');

    const patchedVerdicts = await replayHistories(histories, { workflowBundlePath: guarded, dataConverter });
    assert.deepEqual(patchedVerdicts.filter((v) => !v.deterministic).map((v) => v.divergence), []);
  });
});
