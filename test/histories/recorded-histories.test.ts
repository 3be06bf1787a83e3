import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readHistoryFiles, replayHistories } from '../../platform/audit/history-replayer';
import { loadConfig } from '../../platform/config';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import { LIFECYCLES, RECORDED_HISTORIES_DIR } from './lifecycles';
import { quietTemporalRuntime } from '../support/temporal';

/**
 * The determinism guard: every history recorded under test/histories/ (by `npm run
 * record-histories`) must replay against the workflow code as built now. A change that old runs
 * would not replay fails here; see README, "Changing the workflow".
 */
describe('recorded histories replay against the current workflow code', () => {
  const folders = readdirSync(RECORDED_HISTORIES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it('has a recording of every lifecycle', () => {
    assert.deepEqual(Object.keys(LIFECYCLES).filter((name) => !folders.includes(name)), []);
  });

  for (const folder of folders) {
    it(`replays ${folder} without divergence`, async () => {
      quietTemporalRuntime();
      const histories = await readHistoryFiles(path.join(RECORDED_HISTORIES_DIR, folder));
      assert.ok(histories.length > 0, `${folder} holds no history`);
      const verdicts = await replayHistories(histories, {
        workflowBundlePath: WORKFLOW_BUNDLE_PATH,
        // Recorded with the development key, as the test harness runs.
        payloadKeys: loadConfig({}).payloadKeys,
        concurrency: 1,
      });
      assert.equal(verdicts.length, histories.length);
      assert.deepEqual(verdicts.filter((v) => !v.deterministic).map((v) => `${v.workflowId}: ${v.divergence}`), []);
    });
  }
});
