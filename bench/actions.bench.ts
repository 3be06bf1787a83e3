/**
 * Intake and human actions, the service beside the bare SDK in the same run on one Temporal dev
 * server: starts the server (on free ports, a fresh schema, a mail sink), the production worker and
 * API as child processes, as a deployment runs them, and in this process a bare worker with two
 * workflows: a minimal one (the floor), and a mirror of the service's request workflow that issues
 * its Temporal commands, task by task, with no-op activities (so service ÷ mirror is our own code,
 * mirror ÷ minimal those commands). BENCH_IN_PROCESS=1 runs the service's worker and API in this
 * process too, on one event loop with the bench's client (the layout before 2026-12-05). Then
 * - intake: BENCH_REQUESTS (default 300) bare `client.workflow.start`, then as many `POST /requests`
 *   and as many mirror starts, each at concurrency 16 and each followed right away by as many
 *   bare starts (while the worker still runs the new workflows), and how fast the mirror's and the
 *   service's workflows reach their first wait; with the worker and API as processes, as many
 *   `POST /requests` again with the service's worker stopped (the API's path without the worker's
 *   share of the cores), and each path's CPU per start by process (dev server, worker, API, bench,
 *   PostgreSQL);
 * - actions, one at a time: BENCH_ACTIONS (default 100) operator short-notice decisions and slot
 *   proposals, in blocks alternating with as many bare `executeUpdate` on a waiting minimal workflow
 *   and as many of the mirror's Updates.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createMailTransport } from '../platform/mail/mail-transport';
import { callApi, type Caller } from '../test/api/api-harness';
import { startApi } from '../test/support/api';
import { createWorker } from '../worker/worker';
import { CustomerIdAttribute, SoftwareAttribute, UpdateStatusAttribute } from '../workflows/update-request.contract';
import { minimalWorkflow, touchUpdate } from './baseline/minimal.workflow';
import { createMirrorActivities } from './baseline/mirror.activities';
import { mirrorDecisionUpdate, mirrorProposalUpdate, mirrorWorkflow } from './baseline/mirror.workflow';
import { startBenchStack, type BenchStack } from './bench-stack';
import { forEachConcurrently } from './concurrently';
import { benchCallers, FIRST_WAIT, submitRequests, untilAll, untilCounted } from './intake';
import { ProcessCpu, type CpuTimes } from './process-cpu';
import { quantile } from './quantile';
import type { Figures } from './results';
import { startApiProcess, startWorkerProcess } from './service-processes';
import { medianStages } from './update-stages';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const ACTIONS = Math.min(REQUESTS, Number(process.env.BENCH_ACTIONS ?? 100));
const CONCURRENCY = 16;
const DAY_MS = 86_400_000;

export async function actionsBench(): Promise<Figures> {
  const stack = await startBenchStack();
  const { client, db } = stack;
  const native = await NativeConnection.connect({ address: stack.temporalAddress });
  const service = process.env.BENCH_IN_PROCESS === '1' ? await startServiceInProcess(stack, native) : await startServiceProcesses(stack);
  const bareQueue = `bare-${randomUUID()}`;
  // The mirror's read-model writes note their workflows here: those have reached their first wait.
  const published = new Set<string>();
  const bareWorker = await Worker.create({
    connection: native, taskQueue: bareQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'baseline', 'workflows.js'), logger: silent }),
    activities: createMirrorActivities(published),
  });
  const running = bareWorker.run();
  try {
    const { customer, operator } = await benchCallers(db.dataSource);
    const call = (caller: Caller, method: string, route: string, body?: unknown) => callApi(service.url, caller, method, route, body);
    const rows: Row[] = [];
    const cpu = new ProcessCpu({ temporal: stack.temporalPid, ...service.pids });
    const startBare = (workflowId: string) => client.workflow.start(minimalWorkflow, { taskQueue: bareQueue, workflowId });
    const startMirror = (workflowId: string) => client.workflow.start(mirrorWorkflow, { taskQueue: bareQueue, workflowId, typedSearchAttributes: MIRROR_SEARCH_ATTRIBUTES });
    const workflowIds = (kind: string) => Array.from({ length: REQUESTS }, () => `${kind}-${randomUUID()}`);
    /**
     * REQUESTS starts of one kind at concurrency 16, then the same bare starts again while the
     * worker still runs the new workflows (what the server's load from them costs any start, ours
     * or not), then until all of them reach their first wait.
     */
    const intake = async (submit: () => Promise<{ ids: string[]; ms: number }>, untilFirstWait: (ids: string[]) => Promise<void>) => {
      const started = performance.now();
      const { result: { ids, ms }, cpu: cpuPerStart } = await cpu.perItem(REQUESTS, submit);
      const bareAfterIds = workflowIds('bare');
      const bareAfterMs = await forEachConcurrently(bareAfterIds, CONCURRENCY, startBare);
      await untilFirstWait(ids);
      return { ids, ms, cpuPerStart, bareAfterIds, bareAfterMs, firstWait: REQUESTS / ((performance.now() - started) / 1000) };
    };

    // Intake: starts per second, bare first, then the service, then the mirror; each of the two
    // starts while the bare workflows started just before it still queue for their first task.
    const bareIds = workflowIds('bare');
    const { result: bareStart, cpu: bareCpu } = await cpu.perItem(REQUESTS, () => forEachConcurrently(bareIds, CONCURRENCY, startBare));
    const served = await intake(async () => {
      const { requestIds, ms } = await submitRequests([service.url], customer, REQUESTS, CONCURRENCY);
      return { ids: requestIds, ms };
    }, (ids) => untilAll(db.dataSource, ids, FIRST_WAIT));
    // The API's path alone: the same POSTs, then as many bare starts, with the service's worker
    // stopped (SIGSTOP), so the first steps of the requests do not share the two cores with them as
    // they would not on a deployment's own worker hosts; then the worker goes on, and every request
    // still reaches its first wait.
    const workerPid = service.pids.worker;
    const alone = workerPid === undefined ? undefined : await withProcessStopped(workerPid, async () => {
      const { result: { requestIds, ms }, cpu: cpuPerStart } = await cpu.perItem(REQUESTS, () => submitRequests([service.url], customer, REQUESTS, CONCURRENCY));
      return { requestIds, ms, cpuPerStart, bareMs: await forEachConcurrently(workflowIds('bare'), CONCURRENCY, startBare) };
    });
    if (alone) await untilAll(db.dataSource, alone.requestIds, FIRST_WAIT);
    const mirror = await intake(async () => {
      const ids = workflowIds('mirror');
      return { ids, ms: await forEachConcurrently(ids, CONCURRENCY, startMirror) };
    }, (ids) => untilCounted('mirror workflows reached their first wait', ids.length, async () => ids.filter((id) => published.has(id)).length));
    const perSecond = (ms: number) => REQUESTS / (ms / 1000);
    rows.push(
      { name: `bare: workflow.start, concurrency ${CONCURRENCY} (/s)`, value: perSecond(bareStart), ratio: 1 },
      { name: `service: POST /requests (/s)`, value: perSecond(served.ms), ratio: bareStart / served.ms, toMirror: mirror.ms / served.ms },
      { name: 'bare: workflow.start after it, its workflows running (/s)', value: perSecond(served.bareAfterMs), ratio: bareStart / served.bareAfterMs },
      ...(alone ? [
        { name: 'service: POST /requests, its worker stopped (/s; ratio to the next row)', value: perSecond(alone.ms), ratio: alone.bareMs / alone.ms, toMirror: mirror.ms / alone.ms },
        { name: 'bare: workflow.start right after it, the worker still stopped (/s)', value: perSecond(alone.bareMs), ratio: 1 },
      ] : []),
      { name: 'service: requests reaching their first wait (/s)', value: served.firstWait, toMirror: served.firstWait / mirror.firstWait },
      { name: 'mirror: workflow.start (/s)', value: perSecond(mirror.ms), ratio: bareStart / mirror.ms },
      { name: 'bare: workflow.start after the mirror\'s, its workflows running (/s)', value: perSecond(mirror.bareAfterMs), ratio: bareStart / mirror.bareAfterMs },
      { name: 'mirror: workflows reaching their first wait (/s)', value: mirror.firstWait },
      ...cpuRows('bare: CPU per start while starting', bareCpu),
      ...cpuRows('service: CPU per POST while posting', served.cpuPerStart),
      ...(alone ? cpuRows('service: CPU per POST while posting, its worker stopped', alone.cpuPerStart) : []),
      ...cpuRows('mirror: CPU per start while starting', mirror.cpuPerStart),
    );

    // Actions, one at a time, in blocks alternating bare Updates, the mirror's and the service's
    // actions, so that all see the same load on a shared machine; first one untimed call of each
    // path (connections, caches, compiled code), since the p99 of 100 calls is their slowest. p50
    // and p99 in ms.
    const acting = served.ids.slice(0, ACTIONS);
    const mirroring = mirror.ids.slice(0, ACTIONS);
    const touch = (workflowId: string) => client.workflow.getHandle(workflowId).executeUpdate(touchUpdate, { args: ['bench'] });
    const mirrorAction = (update: typeof mirrorDecisionUpdate) => (workflowId: string) => client.workflow.getHandle(workflowId).executeUpdate(update);
    await touch(served.bareAfterIds[0]);
    const warmUp = await startMirror(`mirror-${randomUUID()}`);
    for (const update of [mirrorDecisionUpdate, mirrorProposalUpdate]) await mirrorAction(update)(warmUp.workflowId);
    await expect200(call(operator, 'GET', `/requests/${acting[0]}`));
    const decisions = await besideBare(ACTIONS, {
      bare: (i) => touch(bareIds[i]),
      mirror: (i) => mirrorAction(mirrorDecisionUpdate)(mirroring[i]),
      service: (i) => expect200(call(operator, 'POST', `/requests/${acting[i]}/short-notice-decision`, { decision: 'accept', reason: 'bench' })),
    });
    await untilAll(db.dataSource, acting, 'scheduling');
    const start = new Date(Date.now() + 2 * DAY_MS).toISOString();
    const proposals = await besideBare(ACTIONS, {
      bare: (i) => touch(bareIds[i]),
      mirror: (i) => mirrorAction(mirrorProposalUpdate)(mirroring[i]),
      service: (i) => expect200(call(operator, 'POST', `/requests/${acting[i]}/slot-proposals`, { start, durationMinutes: 60, engineer: 'Bench' })),
    });
    const bare = [...decisions.bare, ...proposals.bare].sort((a, b) => a - b);
    const percentiles = (name: string, times: number[], mirrored?: number[]) => {
      for (const [label, q] of [['p50', 0.5], ['p99', 0.99]] as const) {
        const value = quantile(times, q);
        rows.push({ name: `${name} ${label} (ms)`, value, ratio: value / quantile(bare, q), toMirror: mirrored && value / quantile(mirrored, q) });
      }
    };
    percentiles('bare: executeUpdate', bare);
    percentiles('mirror: short-notice decision', decisions.mirror);
    percentiles('mirror: slot proposal', proposals.mirror);
    percentiles('service: short-notice decision', decisions.service, decisions.mirror);
    percentiles('service: slot proposal', proposals.service, proposals.mirror);

    // Where each action's time went: the API's own share is what the history does not account for.
    const workflows: Array<{ workflow_id: string }> = await db.dataSource.query('SELECT workflow_id FROM update_requests WHERE request_id = ANY($1)', [acting]);
    const actingWorkflows = workflows.map((w) => w.workflow_id);
    for (const [name, ids, update, times] of [
      ['bare: executeUpdate', bareIds.slice(0, ACTIONS), touchUpdate.name, bare],
      ['mirror: short-notice decision', mirroring, mirrorDecisionUpdate.name, decisions.mirror],
      ['mirror: slot proposal', mirroring, mirrorProposalUpdate.name, proposals.mirror],
      ['service: short-notice decision', actingWorkflows, 'decideShortNotice', decisions.service],
      ['service: slot proposal', actingWorkflows, 'proposeSlot', proposals.service],
    ] as const) {
      const stages = await medianStages(client, [...ids], update);
      rows.push(
        { name: `${name}, median in Temporal and worker (ms)`, value: stages.inTemporal },
        { name: `${name}, median outside them: API, gRPC (ms)`, value: quantile(times, 0.5) - stages.inTemporal },
        { name: `${name}, answering task (ms)`, value: stages.answeringTask },
        { name: `${name}, local activities in it`, value: stages.localActivities },
        { name: `${name}, awaited activity (ms)`, value: stages.awaitedActivity },
      );
    }

    console.log(`intake of ${REQUESTS} requests and ${ACTIONS} actions of each kind on one dev server, ${service.layout} (ratios to the bare SDK's minimal workflow and to the mirror)`);
    const ratioText = (ratio?: number) => (ratio === undefined ? '' : `${ratio.toFixed(2)}×`).padStart(8);
    for (const { name, value, ratio, toMirror } of rows) {
      console.log(name.padEnd(68), value.toFixed(1).padStart(9), ratioText(ratio), ratioText(toMirror));
    }
    return Object.fromEntries(rows.map(({ name, value }) => [name, value]));
  } finally {
    await service.stop();
    bareWorker.shutdown();
    await running;
    await native.close();
    await stack.stop();
  }
}

/** One row per side (the dev server, the service's processes, the bench, PostgreSQL) and their sum, in CPU ms. */
function cpuRows(name: string, perStart: CpuTimes): Row[] {
  const sides = Object.entries(perStart);
  return [...sides, ['all', sides.reduce((sum, [, ms]) => sum + ms, 0)] as const].map(([side, ms]) => ({ name: `${name}, ${side} (ms)`, value: ms }));
}

/** A figure, with its ratio to the bare minimal workflow's and (for the service) to the mirror's. */
interface Row { name: string; value: number; ratio?: number; toMirror?: number }

/** The search attributes the service starts a request with (the mirror's stand for a bench request's). */
const MIRROR_SEARCH_ATTRIBUTES = [
  { key: CustomerIdAttribute, value: 'cust-bench' },
  { key: SoftwareAttribute, value: 'Abacus ERP 2025.2' },
  { key: UpdateStatusAttribute, value: 'intake' },
];

/** The service's worker and API, wherever they run: `url` is the API's; `pids` its processes of their own, if any. */
interface RunningService { layout: string; url: string; pids: Record<string, number>; stop(): Promise<void> }

async function startServiceProcesses(stack: BenchStack): Promise<RunningService> {
  const env = stack.env(`bench-${randomUUID()}`);
  const worker = await startWorkerProcess(stack.client, env);
  const api = await startApiProcess(env);
  return {
    layout: 'worker and API in processes of their own',
    url: api.url,
    pids: { worker: worker.pid, api: api.process.pid },
    async stop() {
      await api.process.stop();
      await worker.stop();
    },
  };
}

async function startServiceInProcess(stack: BenchStack, connection: NativeConnection): Promise<RunningService> {
  const config = loadConfig(stack.env(`bench-${randomUUID()}`));
  const mailer = createMailTransport(config.mail);
  const worker = await createWorker({ config, connection, dataSource: stack.db.dataSource, mailer });
  const running = worker.run();
  const api = await startApi(config);
  return {
    layout: 'worker and API in the bench process',
    url: api.url,
    pids: {},
    async stop() {
      await api.app.close();
      worker.shutdown();
      await running;
      mailer.close();
    },
  };
}

/** Runs `work` with the process stopped (SIGSTOP): it holds its connections but runs nothing until SIGCONT. */
async function withProcessStopped<T>(pid: number, work: () => Promise<T>): Promise<T> {
  process.kill(pid, 'SIGSTOP');
  try {
    return await work();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

async function expect200(answer: Promise<{ status: number; body: unknown }>): Promise<void> {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`refused: ${status} ${JSON.stringify(body)}`);
}

/**
 * Each path's milliseconds per call, one call at a time, in blocks of BLOCK: the bare calls, then
 * each other path in turn, on the workflows of the same indexes, so all see the same load from
 * whatever else runs on the machine. Each path's block starts after a pause: an action's workflow
 * goes on working after its receipt (the next step's writes and mail), which the next path's call
 * would wait for. Every list sorted.
 */
async function besideBare<Path extends string>(
  count: number, paths: Record<'bare' | Path, (index: number) => Promise<unknown>>,
): Promise<Record<'bare' | Path, number[]>> {
  const order = ['bare', ...Object.keys(paths).filter((name) => name !== 'bare')] as Array<'bare' | Path>;
  const times = Object.fromEntries(order.map((name) => [name, [] as number[]])) as Record<'bare' | Path, number[]>;
  for (let from = 0; from < count; from += BLOCK) {
    for (const name of order) {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      for (let i = from; i < Math.min(from + BLOCK, count); i++) times[name].push(await timed(() => paths[name](i)));
    }
  }
  for (const name of order) times[name].sort((a, b) => a - b);
  return times;
}

const BLOCK = 10;
const SETTLE_MS = 250;

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}
