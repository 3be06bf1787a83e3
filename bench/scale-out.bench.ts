/**
 * Horizontal scale-out against one Temporal dev server: BENCH_SCALE_REQUESTS submissions (default
 * 300, at most 5,000) at concurrency 16, first to one worker and one API process, then to two of
 * each (separate child processes on one task queue, submissions round-robin over the APIs). Each
 * layout gets its own task queue, so its workflows can be counted alone. Reports both throughputs
 * and what shows nothing was lost: accepted requests, their rows at the first wait and the
 * workflows Temporal's visibility counts on the layout's queue, three numbers that must agree; and
 * each worker's share of the workflow tasks, which shows the second worker takes its part.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import type { ManagedProcess } from '../local/processes';
import { managedUpdateWorkflow } from '../workflows';
import { updateRequestWorkflowId } from '../workflows/update-request.contract';
import { startBenchStack, type BenchStack } from './bench-stack';
import { benchCallers, FIRST_WAIT, submitRequests, untilAll } from './intake';
import type { Figures } from './results';
import { startApiProcess, startWorkerProcess } from './service-processes';

const REQUESTS = Math.min(Number(process.env.BENCH_SCALE_REQUESTS ?? 300), 5_000);
const CONCURRENCY = 16;

export async function scaleOutBench(): Promise<Figures> {
  const stack = await startBenchStack();
  try {
    const { customer } = await benchCallers(stack.db.dataSource);
    const figures: Figures = {};
    for (const processes of [1, 2]) {
      const layout = `${processes} worker${processes > 1 ? 's' : ''} + ${processes} API${processes > 1 ? 's' : ''}`;
      const measured = await runLayout(stack, processes, (apiUrls) => submitRequests(apiUrls, customer, REQUESTS, CONCURRENCY));
      figures[`${layout}: POST /requests (/s)`] = measured.posted;
      figures[`${layout}: requests reaching their first wait (/s)`] = measured.waiting;
      figures[`${layout}: 503 answers retried`] = measured.unavailable;
      figures[`${layout}: accepted`] = measured.accepted;
      figures[`${layout}: rows at the first wait`] = measured.rowsWaiting;
      figures[`${layout}: workflows on its queue`] = measured.workflows;
      measured.taskShares.forEach((share, i) => { figures[`${layout}: worker ${i + 1}'s share of workflow tasks (%)`] = share; });
    }
    const ratio = (what: string) => figures[`2 workers + 2 APIs: ${what}`] / figures[`1 worker + 1 API: ${what}`];
    figures['ratio 2/1: POST /requests'] = ratio('POST /requests (/s)');
    figures['ratio 2/1: reaching their first wait'] = ratio('requests reaching their first wait (/s)');

    console.log(`${REQUESTS} submissions at concurrency ${CONCURRENCY} per layout, one dev server`);
    for (const [name, value] of Object.entries(figures)) console.log(name.padEnd(64), value.toFixed(2).padStart(10));
    return figures;
  } finally {
    await stack.stop();
  }
}

/** Starts `processes` workers and APIs on a queue of their own, submits, checks what arrived, stops them. */
async function runLayout(
  stack: BenchStack, processes: number, submit: (apiUrls: string[]) => Promise<{ requestIds: string[]; ms: number; unavailable: number }>,
): Promise<{ posted: number; waiting: number; unavailable: number; accepted: number; rowsWaiting: number; workflows: number; taskShares: number[] }> {
  const taskQueue = `bench-${randomUUID()}`;
  const env = stack.env(taskQueue);
  const started: ManagedProcess[] = [];
  const workers: ManagedProcess[] = [];
  try {
    const apiUrls: string[] = [];
    for (let i = 0; i < processes; i++) {
      workers.push(await startWorkerProcess(stack.client, env));
      started.push(workers[i]);
      const api = await startApiProcess(env);
      started.push(api.process);
      apiUrls.push(api.url);
    }
    const begun = performance.now();
    const { requestIds, ms, unavailable } = await submit(apiUrls);
    await untilAll(stack.db.dataSource, requestIds, FIRST_WAIT);
    const seconds = (performance.now() - begun) / 1000;
    return {
      posted: requestIds.length / (ms / 1000),
      waiting: requestIds.length / seconds,
      unavailable,
      accepted: requestIds.length,
      rowsWaiting: await waitingRows(stack, requestIds),
      workflows: await workflowsOn(stack.client, taskQueue, requestIds.length),
      taskShares: await workflowTaskShares(stack.client, requestIds, workers),
    };
  } finally {
    await Promise.all(started.map((p) => p.stop()));
  }
}

/** Distinct accepted requests whose row shows the first wait (a duplicate id cannot make up for a missing one). */
async function waitingRows(stack: BenchStack, requestIds: string[]): Promise<number> {
  const [{ n }] = await stack.db.dataSource.query(
    'SELECT count(DISTINCT request_id) AS n FROM update_requests WHERE request_id = ANY($1) AND status = $2', [[...new Set(requestIds)], FIRST_WAIT]);
  return Number(n);
}

/** The request workflows visibility lists on `taskQueue`, once it has caught up to `expected` (or after 30 s). */
async function workflowsOn(client: Client, taskQueue: string, expected: number): Promise<number> {
  const query = `WorkflowType = '${managedUpdateWorkflow.name}' AND TaskQueue = '${taskQueue}'`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { count } = await client.workflow.count(query);
    if (count >= expected || Date.now() > deadline) return count;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Each worker's share (%) of the workflow tasks the requests' histories record so far, told apart by
 * the identity a worker reports (the SDK's default, `<pid>@<host>`): proof that a second worker on
 * the queue takes its part of the work, not only that it runs.
 */
async function workflowTaskShares(client: Client, requestIds: string[], workers: ManagedProcess[]): Promise<number[]> {
  const tasks = new Map<string, number>();
  for (const requestId of requestIds) {
    for (const e of (await client.workflow.getHandle(updateRequestWorkflowId(requestId)).fetchHistory()).events ?? []) {
      const identity = e.workflowTaskStartedEventAttributes?.identity;
      if (identity) tasks.set(identity, (tasks.get(identity) ?? 0) + 1);
    }
  }
  const all = [...tasks.values()].reduce((a, b) => a + b, 0);
  return workers.map((w) => (100 * [...tasks].filter(([identity]) => identity.startsWith(`${w.pid}@`)).reduce((n, [, count]) => n + count, 0)) / all);
}
