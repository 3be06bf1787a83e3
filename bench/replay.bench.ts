/**
 * Auditor replay throughput: BENCH_COPIES copies (default 16) of the recorded corpus (test/histories)
 * replayed by one bare `Worker.runReplayHistories`, the floor of one replayer, and by the service's
 * replay (a ReplayLanePool, as AuditService keeps one) on AUDIT_REPLAY_CONCURRENCY lanes (default:
 * the cores), in the same run: cold (the pool's first replay, its lanes starting) and warm (the same
 * pool's next replay). The texts are read once beforehand; each side parses its own. BENCH_ROUNDS
 * rounds (default 2) alternate whether the bare replayer goes first or last, as other load on the
 * machine drifts. Beside histories per second it prints the CPU each side spent per history (this
 * process and its lanes), which other load does not change: on a machine busy with other sessions,
 * the kernel shares the cores between sessions, so the wall-clock ratio then shows this session's
 * share more than its cores.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from '@temporalio/worker';
import { readHistoryFiles, replayInLanes } from '../platform/audit/history-replayer';
import { ReplayLanePool } from '../platform/audit/replay-lane-pool';
import { loadConfig } from '../platform/config';
import { payloadDataConverter } from '../platform/payload-codec';
import { RECORDED_HISTORIES_DIR } from '../test/histories/lifecycles';
import { quietTemporalRuntime } from '../test/support/temporal';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';
import type { Figures } from './results';

const COPIES = Number(process.env.BENCH_COPIES ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SIDES = ['bare', 'cold', 'warm'] as const;
type Side = (typeof SIDES)[number];
interface Spent { seconds: number; cpu: number }

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
  const lanes: number[] = [];
  const service = async (pool: ReplayLanePool) => {
    const verdicts = await replayInLanes(histories, pool);
    const diverged = verdicts.find((v) => !v.deterministic);
    if (diverged) throw new Error(`${diverged.workflowId} diverged: ${diverged.divergence}`);
  };
  /** CPU of this process, its exited children and the lanes still running. */
  const cpu = () => cpuMs('self', true) + lanes.reduce((sum, pid) => sum + cpuMs(String(pid), false), 0);

  console.log(`replay of ${histories.length} histories (${COPIES} × the ${corpus.length} recorded), service on ${config.auditReplayConcurrency} lanes`);
  console.log('round'.padEnd(6), ...SIDES.map((side) => `${side} /s`.padStart(10)), 'cold ratio'.padStart(11), 'warm ratio'.padStart(11),
    ...SIDES.map((side) => `${side} CPU ms/h`.padStart(14)));
  const nothing = (): Record<Side, Spent> => ({ bare: { seconds: 0, cpu: 0 }, cold: { seconds: 0, cpu: 0 }, warm: { seconds: 0, cpu: 0 } });
  const totals = nothing();
  const row = (label: string, n: number, spent: Record<Side, Spent>) => console.log(label.padEnd(6),
    ...SIDES.map((side) => (n / spent[side].seconds).toFixed(1).padStart(10)),
    ...(['cold', 'warm'] as const).map((side) => `${(spent.bare.seconds / spent[side].seconds).toFixed(2)}×`.padStart(11)),
    ...SIDES.map((side) => (spent[side].cpu / n).toFixed(1).padStart(14)));
  for (let round = 1; round <= ROUNDS; round++) {
    const order: Side[] = round % 2 === 1 ? ['bare', 'cold', 'warm'] : ['cold', 'warm', 'bare'];
    const pool = new ReplayLanePool({
      workflowBundlePath: WORKFLOW_BUNDLE_PATH, payloadKeys: config.payloadKeys, lanes: config.auditReplayConcurrency,
      idleMs: config.auditReplayLaneIdleMs, onLane: (pid) => lanes.push(pid),
    });
    const spent = nothing();
    for (const side of order) {
      const [started, cpuBefore] = [performance.now(), cpu()];
      await (side === 'bare' ? bare() : service(pool));
      spent[side] = { seconds: (performance.now() - started) / 1000, cpu: cpu() - cpuBefore };
      totals[side] = { seconds: totals[side].seconds + spent[side].seconds, cpu: totals[side].cpu + spent[side].cpu };
      // Its lanes are gone before the bare replayer runs, were it next.
      if (side === 'warm') {
        await pool.close();
        lanes.length = 0;
      }
    }
    row(String(round), histories.length, spent);
  }
  row('all', histories.length * ROUNDS, totals);
  const n = histories.length * ROUNDS;
  return {
    'bare SDK (histories/s)': n / totals.bare.seconds,
    'service cold (histories/s)': n / totals.cold.seconds,
    'service warm (histories/s)': n / totals.warm.seconds,
    'cold ratio': totals.bare.seconds / totals.cold.seconds,
    'warm ratio': totals.bare.seconds / totals.warm.seconds,
    'bare CPU per history (ms)': totals.bare.cpu / n,
    'service cold CPU per history (ms)': totals.cold.cpu / n,
    'service warm CPU per history (ms)': totals.warm.cpu / n,
  };
}

/**
 * CPU time of a process from /proc, with `children` that of its children that have exited: Node
 * reaps its children, and the kernel then adds their time to the parent's cutime and cstime. A
 * lane that has exited since is counted there (0 here).
 */
function cpuMs(pid: string, children: boolean): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.replace(/^.*\) /s, '').split(' ');
  // utime, stime, cutime, cstime are fields 14–17 of stat(5); the text after the command name starts at field 3.
  const ticks = (children ? [11, 12, 13, 14] : [11, 12]).reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}
const CLOCK_TICKS_PER_SECOND = 100;
