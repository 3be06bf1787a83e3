import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { promisify } from 'node:util';
import { historyFileName, readHistoryFiles, replayHistories, replayInLanes, type ReplayOptions } from '../../platform/audit/history-replayer';
import { ReplayLanePool } from '../../platform/audit/replay-lane-pool';
import type { WorkflowHistory } from '../../platform/audit/workflow-history';
import { DEVELOPMENT_PAYLOAD_KEYS, loadConfig } from '../../platform/config';
import { projectRoot } from '../../platform/project-root';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import { RECORDED_HISTORIES_DIR } from '../histories/lifecycles';
import { quietTemporalRuntime } from '../support/temporal';
import { bundleChangedWorkflows } from './changed-workflows/bundle';

const run = promisify(execFile);

describe('replaying histories in parallel lanes', () => {
  let dir: string;
  let corpus: Array<WorkflowHistory & { origin: string }>;
  let unguarded: string;
  const payloadKeys = loadConfig({}).payloadKeys;
  const options = (concurrency: number, workflowBundlePath = WORKFLOW_BUNDLE_PATH): ReplayOptions => ({ workflowBundlePath, payloadKeys, concurrency });
  /** A pool as AuditService keeps one, with the lanes it starts noted. */
  const pool = (idleMs = 60_000) => {
    const started: number[] = [];
    return { started, sut: new ReplayLanePool({ workflowBundlePath: WORKFLOW_BUNDLE_PATH, payloadKeys, lanes: 2, idleMs, onLane: (pid) => started.push(pid) }) };
  };
  const gone = (pid: number) => assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `lane ${pid} is still running`);

  before(async () => {
    quietTemporalRuntime();
    dir = await mkdtemp(path.join(tmpdir(), 'parallel-replay-'));
    const folders = (await readdir(RECORDED_HISTORIES_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    corpus = (await Promise.all(folders.map((f) => readHistoryFiles(path.join(RECORDED_HISTORIES_DIR, f))))).flat();
    unguarded = await bundleChangedWorkflows(dir, 'unguarded');
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('gives the verdicts of a serial replay, in the same order, with the exact divergence of changed code', async () => {
    // Twice the corpus: several batches per lane, so answers can come back out of order.
    const histories = [...corpus, ...corpus];
    const lanes: number[] = [];
    const serial = await replayHistories(histories, options(1, unguarded));
    const parallel = await replayHistories(histories, { ...options(2, unguarded), onLane: (pid) => lanes.push(pid) });

    assert.equal(lanes.length, 2);
    assert.deepEqual(parallel, serial);
    assert.deepEqual(parallel.map((v) => [v.workflowId, v.origin]), histories.map((h) => [h.workflowId, h.origin]));
    const diverged = parallel.filter((v) => !v.deterministic);
    assert.ok(diverged.length > 0 && diverged.every((v) => !v.workflowId.includes('/host/')), 'the changed request workflow diverges, its hosts do not');
    for (const v of diverged) assert.match(v.divergence!, /Nondeterminism/i);
  });

  it('never runs more lanes than it is allowed, and starts one only when the running ones hold two histories each', async () => {
    const histories = [...corpus, ...corpus];
    for (const [concurrency, input, expected] of [[3, histories, 3], [4, histories.slice(0, 3), 2], [2, [], 0]] as const) {
      const lanes: number[] = [];
      const verdicts = await replayHistories(input, { ...options(concurrency), onLane: (pid) => lanes.push(pid) });
      assert.equal(lanes.length, expected, `concurrency ${concurrency}, ${input.length} histories`);
      assert.equal(verdicts.length, input.length);
      assert.ok(verdicts.every((v) => v.deterministic));
      lanes.forEach(gone);
    }
  });

  it('gives a text that is not a history a verdict of its own, and replays the others', async () => {
    const broken = (workflowId: string, json: string): WorkflowHistory => ({ workflowId, runId: '', source: 'file', json });
    const histories = [
      corpus[0],
      broken('truncated', corpus[1].json.slice(0, 500)),
      corpus[1],
      broken('no-events', '{"history": []}'),
      // Passes the parser, but the SDK's replayer cannot take it: it must not take the rest down with it.
      broken('empty', '{"events": []}'),
      ...corpus.slice(2, 20),
    ];
    const serial = await replayHistories(histories, options(1));
    const parallel = await replayHistories(histories, options(2));
    assert.deepEqual(parallel, serial);
    assert.deepEqual(parallel.filter((v) => !v.deterministic).map((v) => v.workflowId), ['truncated', 'no-events', 'empty']);
    const [truncated, noEvents, empty] = parallel.filter((v) => !v.deterministic);
    assert.match(truncated.divergence!, /^not replayed: not a JSON history/);
    assert.match(noEvents.divergence!, /^not replayed: not a Temporal history: it has no "events" list/);
    assert.match(empty.divergence!, /^replay failed: /);
    assert.equal(parallel.filter((v) => v.deterministic).length, histories.length - 3);
  });

  it('keeps its lanes for the next replay, which pays no start', async () => {
    const { sut, started } = pool();
    try {
      const first = await replayInLanes(corpus, sut);
      assert.equal(started.length, 2);
      const second = await replayInLanes([...corpus].reverse(), sut);
      assert.equal(started.length, 2, 'the second replay started lanes of its own');
      assert.deepEqual(sut.pids.sort(), [...started].sort());
      assert.deepEqual(second, [...first].reverse());
      assert.ok(second.every((v) => v.deterministic));
    } finally {
      await sut.close();
    }
    started.forEach(gone);
    await assert.rejects(replayInLanes(corpus, sut), /the replay lanes were closed/);
  });

  it('stops its lanes once no replay has run for the idle time, and starts new ones for the next', async () => {
    const { sut, started } = pool(60_000);
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      await replayInLanes(corpus.slice(0, 8), sut);
      const firstLanes = [...started];
      mock.timers.tick(59_999);
      assert.deepEqual(sut.pids, firstLanes, 'stopped before the idle time was over');
      mock.timers.tick(1);
      assert.deepEqual(sut.pids, []);
      const verdicts = await replayInLanes(corpus.slice(0, 8), sut);
      assert.equal(verdicts.length, 8);
      assert.equal(started.length, firstLanes.length * 2);
      firstLanes.forEach(gone);
    } finally {
      mock.timers.reset();
      await sut.close();
    }
    started.forEach(gone);
  });

  it('fails the replay a killed lane held, naming the lane, keeps the other lane and replaces the killed one', async () => {
    const { sut, started } = pool();
    let handed = 0;
    // Two lanes hold at most two histories each; the 41st is read only after some came back.
    const histories = (async function* () {
      for (const history of [...corpus, ...corpus, ...corpus]) {
        if (++handed === 41) process.kill(started[0], 'SIGKILL');
        yield history;
      }
    })();
    try {
      const failure = await replayInLanes(histories, sut).then(() => undefined, (err: Error) => err);
      assert.match(String(failure), new RegExp(`^Error: replay lane ${started[0]} stopped \\(signal SIGKILL\\) with [1-9]\\d* histor(y|ies) unanswered; the replay is incomplete`));
      assert.ok(handed < corpus.length * 3, 'it stopped reading the input');
      gone(started[0]);
      const [, survivor] = started;
      const verdicts = await replayInLanes(corpus, sut);
      assert.ok(verdicts.length === corpus.length && verdicts.every((v) => v.deterministic));
      assert.equal(started.length, 3, 'the killed lane was replaced');
      assert.deepEqual(sut.pids.sort(), [survivor, started[2]].sort());
    } finally {
      await sut.close();
    }
    started.forEach(gone);
  });

  it('takes --concurrency on the command line and refuses a bad one', async () => {
    const cli = path.join(projectRoot(), 'dist', 'scripts', 'audit.js');
    const env = { ...process.env, PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS };
    const folder = path.join(RECORDED_HISTORIES_DIR, 'farm');
    const passed = await run(process.execPath, [cli, 'replay', folder, '--concurrency', '2'], { env });
    assert.match(passed.stdout, new RegExp(`${(await readdir(folder)).length} replayed, 0 diverged`));
    const refused = await run(process.execPath, [cli, 'replay', folder, '--concurrency', '0'], { env }).then(() => undefined, (err) => err);
    assert.equal(refused?.code, 2);
    assert.match(refused.stderr, /--concurrency must be a whole number of at least 1/);
    // A folder with a file that is not a history: the others still replay, the command still fails.
    const mixed = path.join(dir, 'mixed');
    await mkdir(mixed);
    await copyFile(corpus[0].origin, path.join(mixed, historyFileName(corpus[0].workflowId)));
    await writeFile(path.join(mixed, 'not-a-history.json'), '<html>');
    const failed = await run(process.execPath, [cli, 'replay', mixed, '--concurrency', '2'], { env }).then(() => undefined, (err) => err);
    assert.equal(failed?.code, 1);
    assert.match(failed.stdout, new RegExp(`ok        ${corpus[0].workflowId} `));
    assert.match(failed.stdout, /DIVERGED  not-a-history .*\n  not replayed: not a JSON history/);
    assert.match(failed.stdout, /2 replayed, 1 diverged/);
    const badSetting = await run(process.execPath, [cli, 'replay', folder], { env: { ...env, AUDIT_REPLAY_CONCURRENCY: 'many' } }).then(() => undefined, (err) => err);
    assert.equal(badSetting?.code, 1);
    assert.match(badSetting.stderr, /AUDIT_REPLAY_CONCURRENCY must be an integer/);
  });
});
