/**
 * Intake and human actions, the service beside the bare SDK in the same run on one Temporal dev
 * server: starts the server (on free ports, a fresh schema, a mail sink), the production worker and
 * API as child processes, as a deployment runs them, and in this process a bare worker with a
 * minimal workflow. BENCH_IN_PROCESS=1 runs the service's worker and API in this process too, on
 * one event loop with the bench's client (the layout before 2026-12-05). Then
 * - intake: BENCH_REQUESTS (default 300) `POST /requests` at concurrency 16 against as many bare
 *   `client.workflow.start` before it and as many right after it (while the worker still runs the
 *   new requests), and how fast the requests reach their first wait;
 * - actions, one at a time: BENCH_ACTIONS (default 100) operator short-notice decisions and slot
 *   proposals, in blocks alternating with as many bare `executeUpdate` on a waiting minimal workflow.
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
import { minimalWorkflow, touchUpdate } from './baseline/minimal.workflow';
import { startBenchStack, type BenchStack } from './bench-stack';
import { forEachConcurrently } from './concurrently';
import { benchCallers, FIRST_WAIT, submitRequests, untilAll } from './intake';
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
  const bareWorker = await Worker.create({
    connection: native, taskQueue: bareQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'baseline', 'minimal.workflow.js'), logger: silent }),
  });
  const running = bareWorker.run();
  try {
    const { customer, operator } = await benchCallers(db.dataSource);
    const call = (caller: Caller, method: string, route: string, body?: unknown) => callApi(service.url, caller, method, route, body);
    const rows: Row[] = [];

    // Intake: starts per second, bare first.
    const bareIds = Array.from({ length: REQUESTS }, () => `bare-${randomUUID()}`);
    const bareStart = await forEachConcurrently(bareIds, CONCURRENCY, (workflowId) => client.workflow.start(minimalWorkflow, { taskQueue: bareQueue, workflowId }));
    const intakeStarted = performance.now();
    const { requestIds, ms: serviceStart } = await submitRequests([service.url], customer, REQUESTS, CONCURRENCY);
    // The same bare starts again while the worker still runs the service's new requests: what the
    // server's load from those workflows costs any start, ours or not.
    const laterBareIds = bareIds.map(() => `bare-${randomUUID()}`);
    const bareUnderLoad = await forEachConcurrently(laterBareIds, CONCURRENCY,
      (workflowId) => client.workflow.start(minimalWorkflow, { taskQueue: bareQueue, workflowId }));
    await untilAll(db.dataSource, requestIds, FIRST_WAIT);
    const firstWait = REQUESTS / ((performance.now() - intakeStarted) / 1000);
    rows.push(
      { name: `bare: workflow.start, concurrency ${CONCURRENCY} (/s)`, value: REQUESTS / (bareStart / 1000), ratio: 1 },
      { name: `service: POST /requests (/s)`, value: REQUESTS / (serviceStart / 1000), ratio: bareStart / serviceStart },
      { name: 'bare: workflow.start after it, its workflows running (/s)', value: REQUESTS / (bareUnderLoad / 1000), ratio: bareStart / bareUnderLoad },
      { name: 'service: requests reaching their first wait (/s)', value: firstWait },
    );

    // Actions, one at a time, in blocks alternating with bare Updates, so that both see the same
    // load on a shared machine; first one untimed call of each path (connections, caches, compiled code), since
    // the p99 of 100 calls is their slowest. p50 and p99 in ms.
    const acting = requestIds.slice(0, ACTIONS);
    const touch = (workflowId: string) => client.workflow.getHandle(workflowId).executeUpdate(touchUpdate, { args: ['bench'] });
    await touch(laterBareIds[0]);
    await expect200(call(operator, 'GET', `/requests/${acting[0]}`));
    const decisions = await besideBare(acting, (id) => expect200(call(operator, 'POST', `/requests/${id}/short-notice-decision`, { decision: 'accept', reason: 'bench' })), bareIds, touch);
    await untilAll(db.dataSource, acting, 'scheduling');
    const start = new Date(Date.now() + 2 * DAY_MS).toISOString();
    const proposals = await besideBare(acting, (id) => expect200(call(operator, 'POST', `/requests/${id}/slot-proposals`, { start, durationMinutes: 60, engineer: 'Bench' })), bareIds, touch);
    const bare = [...decisions.bare, ...proposals.bare].sort((a, b) => a - b);
    for (const [name, times] of [['bare: executeUpdate', bare], ['service: short-notice decision', decisions.times], ['service: slot proposal', proposals.times]] as const) {
      rows.push({ name: `${name} p50 (ms)`, value: quantile(times, 0.5), ratio: quantile(times, 0.5) / quantile(bare, 0.5) });
      rows.push({ name: `${name} p99 (ms)`, value: quantile(times, 0.99), ratio: quantile(times, 0.99) / quantile(bare, 0.99) });
    }

    // Where each action's time went: the API's own share is what the history does not account for.
    const workflows: Array<{ workflow_id: string }> = await db.dataSource.query('SELECT workflow_id FROM update_requests WHERE request_id = ANY($1)', [acting]);
    const actingWorkflows = workflows.map((w) => w.workflow_id);
    for (const [name, ids, update, times] of [
      ['bare: executeUpdate', bareIds.slice(0, ACTIONS), touchUpdate.name, bare],
      ['service: short-notice decision', actingWorkflows, 'decideShortNotice', decisions.times],
      ['service: slot proposal', actingWorkflows, 'proposeSlot', proposals.times],
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

    console.log(`intake of ${REQUESTS} requests and ${ACTIONS} actions of each kind on one dev server, ${service.layout} (ratio to the bare SDK)`);
    for (const { name, value, ratio } of rows) {
      console.log(name.padEnd(64), value.toFixed(1).padStart(9), ratio === undefined ? '' : `${ratio.toFixed(2)}×`.padStart(8));
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

interface Row { name: string; value: number; ratio?: number }

/** The service's worker and API, wherever they run: `url` is the API's. */
interface RunningService { layout: string; url: string; stop(): Promise<void> }

async function startServiceProcesses(stack: BenchStack): Promise<RunningService> {
  const env = stack.env(`bench-${randomUUID()}`);
  const worker = await startWorkerProcess(stack.client, env);
  const api = await startApiProcess(env);
  return {
    layout: 'worker and API in processes of their own',
    url: api.url,
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
    async stop() {
      await api.app.close();
      worker.shutdown();
      await running;
      mailer.close();
    },
  };
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

async function expect200(answer: Promise<{ status: number; body: unknown }>): Promise<void> {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`refused: ${status} ${JSON.stringify(body)}`);
}

/**
 * Each call's milliseconds, one call at a time, in blocks of BLOCK that alternate with as many bare
 * calls (on the workflows of the same indexes), so both sides see the same load from whatever else
 * runs on the machine. Each block starts after a pause: an action's workflow goes on working after
 * its receipt (the next step's writes and mail), which a bare call right after it would wait for.
 * Both lists sorted.
 */
async function besideBare<T>(
  items: T[], each: (item: T) => Promise<unknown>, bareIds: string[], bareCall: (workflowId: string) => Promise<unknown>,
): Promise<{ times: number[]; bare: number[] }> {
  const times: number[] = [];
  const bare: number[] = [];
  for (let from = 0; from < items.length; from += BLOCK) {
    const indexes = Array.from({ length: Math.min(BLOCK, items.length - from) }, (_, i) => from + i);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (const i of indexes) bare.push(await timed(() => bareCall(bareIds[i])));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (const i of indexes) times.push(await timed(() => each(items[i])));
  }
  return { times: times.sort((a, b) => a - b), bare: bare.sort((a, b) => a - b) };
}

const BLOCK = 10;
const SETTLE_MS = 250;

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}
