/**
 * Auditor replay throughput: BENCH_COPIES copies (default 16) of the recorded corpus (test/histories)
 * replayed by one bare `Worker.runReplayHistories`, the floor of one replayer, and by the service's
 * replay (replayHistories, as AuditService calls it) on AUDIT_REPLAY_CONCURRENCY lanes (default: the
 * cores), in the same run. The texts are read once beforehand; each side parses its own. BENCH_ROUNDS
 * rounds (default 2) alternate which side goes first, as other load on the machine drifts. Beside
 * histories per second it prints the CPU each side spent per history (this process and its lanes),
 * which other load does not change: on a machine busy with other sessions, the kernel shares the
 * cores between sessions, so the wall-clock ratio then shows this session's share more than its cores.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from '@temporalio/worker';
import { readHistoryFiles, replayHistories } from '../platform/audit/history-replayer';
import { loadConfig } from '../platform/config';
import { payloadDataConverter } from '../platform/payload-codec';
import { RECORDED_HISTORIES_DIR } from '../test/histories/lifecycles';
import { quietTemporalRuntime } from '../test/support/temporal';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';
import type { Figures } from './results';

const COPIES = Number(process.env.BENCH_COPIES ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

export async function replayBench(): Promise<Figures> {
  quietTemporalRuntime();
  // The corpus is sealed with the development key; AUDIT_REPLAY_CONCURRENCY is read as the service reads it.
  const config = loadConfig({ AUDIT_REPLAY_CONCURRENCY: process.env.AUDIT_REPLAY_CONCURRENCY });
  const folders = (await readdir(RECORDED_HISTORIES_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  const corpus = (await Promise.all(folders.map((f) => readHistoryFiles(path.join(RECORDED_HISTORIES_DIR, f))))).flat();
  const histories = Array.from({ length: COPIES }, () => corpus).flat();

  const bare = async () => {
    const feed = (function* () {
      for (const h of histories) yield { workflowId: h.workflowId, history: JSON.parse(h.json) };
    })();
    const results = Worker.runReplayHistories({ workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH }, dataConverter: payloadDataConverter(config.payloadKeys) }, feed);
    for await (const result of results) {
      if (result.error) throw new Error(`${result.workflowId} diverged: ${result.error.message}`);
    }
  };
  const service = async () => {
    const verdicts = await replayHistories(histories, { workflowBundlePath: WORKFLOW_BUNDLE_PATH, payloadKeys: config.payloadKeys, concurrency: config.auditReplayConcurrency });
    const diverged = verdicts.find((v) => !v.deterministic);
    if (diverged) throw new Error(`${diverged.workflowId} diverged: ${diverged.divergence}`);
  };

  console.log(`replay of ${histories.length} histories (${COPIES} × the ${corpus.length} recorded), service on ${config.auditReplayConcurrency} lanes`);
  console.log('round'.padEnd(8), 'bare SDK /s'.padStart(12), 'service /s'.padStart(12), 'ratio'.padStart(8), 'bare CPU ms/h'.padStart(14), 'service CPU ms/h'.padStart(17));
  const totals = { bare: { seconds: 0, cpu: 0 }, service: { seconds: 0, cpu: 0 } };
  const row = (label: string, n: number, b: { seconds: number; cpu: number }, s: { seconds: number; cpu: number }) => console.log(label.padEnd(8),
    (n / b.seconds).toFixed(1).padStart(12), (n / s.seconds).toFixed(1).padStart(12), `${(b.seconds / s.seconds).toFixed(2)}×`.padStart(8),
    (b.cpu / n).toFixed(1).padStart(14), (s.cpu / n).toFixed(1).padStart(17));
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? (['bare', 'service'] as const) : (['service', 'bare'] as const);
    const spent = { bare: { seconds: 0, cpu: 0 }, service: { seconds: 0, cpu: 0 } };
    for (const side of order) {
      const [started, cpuBefore] = [performance.now(), cpuMs()];
      await (side === 'bare' ? bare() : service());
      spent[side] = { seconds: (performance.now() - started) / 1000, cpu: cpuMs() - cpuBefore };
      totals[side].seconds += spent[side].seconds;
      totals[side].cpu += spent[side].cpu;
    }
    row(String(round), histories.length, spent.bare, spent.service);
  }
  row('all', histories.length * ROUNDS, totals.bare, totals.service);
  const n = histories.length * ROUNDS;
  return {
    'bare SDK (histories/s)': n / totals.bare.seconds,
    'service (histories/s)': n / totals.service.seconds,
    'ratio': totals.bare.seconds / totals.service.seconds,
    'bare CPU per history (ms)': totals.bare.cpu / n,
    'service CPU per history (ms)': totals.service.cpu / n,
  };
}

/**
 * CPU time of this process and of its children that have exited (the lanes), from /proc: Node
 * reaps its children, and the kernel then adds their time to the parent's cutime and cstime.
 */
function cpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
  // utime, stime, cutime, cstime are fields 14–17 of stat(5); the text after the command name starts at field 3.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}
const CLOCK_TICKS_PER_SECOND = 100;
