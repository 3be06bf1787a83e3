// Runs every compiled test file with Node's own test runner; `npm test` builds first.
//
// Each file runs in its own process group. When the file ends (or overruns FILE_LIMIT_MS) the
// whole group is killed, so a server a file started can never outlive it and keep CI waiting on
// an inherited stdout. Optional arguments filter files by substring: `node scripts/run-tests.mjs happy-path`.
//
// No file is run again. Temporal's time-skipping test server is known to lose a Workflow Update now
// and then (temporalio/sdk-java#1903, temporalio/sdk-python#826), but all the runner sees of that is
// a test that times out, exactly what a real hang of ours looks like (an Update whose workflow task
// fails forever never answers either). No signature tells them apart, so a timeout fails the run.
//
// The closing line reads `run-tests: N passed, N failed of N files in N s`, then one line per failed
// file; the exit code is what CI judges.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

// RUN_TESTS_ROOT and RUN_TESTS_TEST_LIMIT_MS exist for test/run-tests.test.ts, which runs this runner on a fixture.
const TEST_LIMIT_MS = Number(process.env.RUN_TESTS_TEST_LIMIT_MS ?? 120_000);
// The model-based exploration runs its bounded number of sequences as one test.
const EXPLORATION_LIMIT_MS = 300_000;
const FILE_LIMIT_MS = 600_000;
const testLimit = (file) => (file.endsWith('.explore.test.js') ? EXPLORATION_LIMIT_MS : TEST_LIMIT_MS);

const root = process.env.RUN_TESTS_ROOT ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'test');
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

/** Resolves to undefined when the file passed, else to why it failed. */
function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--test', `--test-timeout=${testLimit(file)}`, path.join(root, file)],
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
      if (overran) resolve(`killed after ${FILE_LIMIT_MS / 1000} s`);
      else if (code === 0) resolve(undefined);
      else resolve(timedOut ? `a test timed out after ${testLimit(file) / 1000} s` : `exit ${code ?? signal}`);
    });
  });
}

const started = Date.now();
const failures = [];
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const failure = await runFile(file);
  if (failure) failures.push(`${file}: ${failure}`);
}
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\nrun-tests: ${files.length - failures.length} passed, ${failures.length} failed of ${files.length} files in ${seconds} s`);
for (const failure of failures) console.log(`  failed ${failure}`);
process.exit(failures.length === 0 ? 0 : 1);
