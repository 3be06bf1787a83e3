import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { projectRoot } from '../platform/project-root';

/** A test file that hangs on its first run and passes on any later one, as an intermittent hang would. */
const HANGS_ONCE = `
const { existsSync, writeFileSync } = require('node:fs');
const { it } = require('node:test');
const marker = __filename + '.ran';
it('waits for an answer', async () => {
  if (existsSync(marker)) return;
  writeFileSync(marker, '');
  await new Promise(() => setInterval(() => {}, 1000));
});
`;

describe('the test runner', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'run-tests-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('fails the run when a test hangs, without running the file again', () => {
    writeFileSync(path.join(folder, 'hangs-once.test.js'), HANGS_ONCE);

    // Without NODE_TEST_CONTEXT, which would make the runner's own `node --test` report to this test run instead.
    const { NODE_TEST_CONTEXT: _ours, ...env } = process.env;
    const run = spawnSync(process.execPath, [path.join(projectRoot(), 'scripts', 'run-tests.mjs')], {
      env: { ...env, RUN_TESTS_ROOT: folder, RUN_TESTS_TEST_LIMIT_MS: '1000' },
      encoding: 'utf8',
      timeout: 60_000,
    });

    assert.equal(run.status, 1, run.stdout);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.filter((l) => l.startsWith('▶ hangs-once.test.js')).length, 1, 'the file ran once');
    assert.match(lines.at(-2)!, /^run-tests: 0 passed, 1 failed of 1 files in \d+ s$/);
    assert.equal(lines.at(-1), '  failed hangs-once.test.js: a test timed out after 1 s');
  });
});
