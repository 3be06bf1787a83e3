// Runs every compiled test file with Node's own test runner; `npm test` builds first.
//
// Each file runs in its own process group. When the file ends (or overruns FILE_LIMIT_MS) the
// whole group is killed, so a server a file started can never outlive it and keep CI waiting on
// an inherited stdout. Optional arguments filter files by substring: `node scripts/run-tests.mjs happy-path`.
//
// A file whose test timed out (rather than failed an assertion) runs once more, and both runs are
// reported: Temporal's time-skipping test server is known to lose a Workflow Update now and then
// (temporalio/sdk-java#1903, temporalio/sdk-python#826), which shows up here as a hang.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const TEST_LIMIT_MS = 120_000;
// The model-based exploration runs its bounded number of sequences as one test.
const EXPLORATION_LIMIT_MS = 300_000;
const FILE_LIMIT_MS = 600_000;

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'test');
const only = process.argv.slice(2);
const files = readdirSync(root, { recursive: true })
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no compiled test files found under dist/test');
  process.exit(1);
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** Resolves to undefined when the file passed, else to why it failed and whether it timed out. */
function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--test', `--test-timeout=${file.endsWith('.explore.test.js') ? EXPLORATION_LIMIT_MS : TEST_LIMIT_MS}`, path.join(root, file)],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let timedOut = false;
    const forward = (stream, to) => stream.on('data', (chunk) => {
      if (chunk.includes('testTimeoutFailure')) timedOut = true;
      to.write(chunk);
    });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    let overran = false;
    const limit = setTimeout(() => {
      overran = true;
      killGroup(child.pid);
    }, FILE_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      killGroup(child.pid);
      if (overran) resolve({ reason: `killed after ${FILE_LIMIT_MS / 1000} s`, timedOut: true });
      else if (code === 0) resolve(undefined);
      else resolve({ reason: timedOut ? 'a test timed out' : `exit ${code ?? signal}`, timedOut });
    });
  });
}

const started = Date.now();
const failures = [];
const retried = [];
for (const file of files) {
  console.log(`\n▶ ${file}`);
  let failure = await runFile(file);
  if (failure?.timedOut) {
    retried.push(`${file}: ${failure.reason}`);
    console.log(`\n▶ ${file} (again: ${failure.reason})`);
    failure = await runFile(file);
  }
  if (failure) failures.push(`${file}: ${failure.reason}`);
}
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\nrun-tests: ${files.length - failures.length}/${files.length} files passed in ${seconds} s`);
for (const retry of retried) console.log(`  retried ${retry}`);
for (const failure of failures) console.log(`  failed  ${failure}`);
process.exit(failures.length === 0 ? 0 : 1);
