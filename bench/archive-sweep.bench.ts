/**
 * What one archive sweep costs while many requests are open: starts a Temporal dev server on free
 * ports and a fresh schema, opens BENCH_OPEN runs (default 10,000) of the request workflow on a queue
 * no worker polls (each with its read-model row), closes BENCH_CLOSED of them (default 100), then
 * times the first sweep (which archives those) and a sweep with nothing new. Beside them, in the
 * same run: the bare SDK's visibility list of the closed runs (the floor of asking Temporal at all)
 * and what the sweep used to do, one `describe` per unarchived request.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { archiveClosedRequests } from '../platform/audit/archive-sweeper';
import { HistoryArchive } from '../platform/audit/history-archive';
import { managedUpdateWorkflow } from '../workflows';
import { startBenchStack } from './bench-stack';
import { forEachConcurrently } from './concurrently';
import type { Figures } from './results';

const OPEN = Number(process.env.BENCH_OPEN ?? 10_000);
const CLOSED = Number(process.env.BENCH_CLOSED ?? 100);
const CONCURRENCY = 32;

export async function archiveSweepBench(): Promise<Figures> {
  const stack = await startBenchStack();
  const { client, db } = stack;
  try {
    const queue = `nobody-${randomUUID()}`;
    const ids = Array.from({ length: OPEN + CLOSED }, () => randomUUID());
    await forEachConcurrently(ids, CONCURRENCY, async (requestId) => {
      const workflowId = `update-request-${requestId}`;
      await db.dataSource.query(
        `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category, status,
           current_step, submitted_at, updated_at)
         VALUES ($1, $2, 'cust-1', 'Abacus ERP', '2025.1', 'feature', 'scheduling', 'scheduling', now(), now())`, [requestId, workflowId]);
      await client.workflow.start(managedUpdateWorkflow, { taskQueue: queue, workflowId, args: [] as never });
    });
    // The closed ones as a completed request leaves them: final in the read model, closed in Temporal.
    const closed = ids.slice(OPEN);
    await forEachConcurrently(closed, CONCURRENCY, async (requestId) => {
      await client.workflow.getHandle(`update-request-${requestId}`).terminate('bench: closed');
      await db.dataSource.query(`UPDATE update_requests SET status = 'completed' WHERE request_id = $1`, [requestId]);
    });
    const closedQuery = `WorkflowType = '${managedUpdateWorkflow.name}' AND ExecutionStatus != 'Running'`;
    while ((await client.workflow.count(closedQuery)).count < CLOSED) await new Promise((r) => setTimeout(r, 200));

    const archive = new HistoryArchive(db.dataSource);
    const rows: Array<[string, number]> = [];
    rows.push(['bare SDK: list the closed runs', await timed(async () => {
      for await (const _ of client.workflow.list({ query: closedQuery })) { /* drain */ }
    })]);
    rows.push([`sweep archiving ${CLOSED} closed`, await timed(() => archiveClosedRequests(client, db.dataSource, archive))]);
    rows.push(['sweep with nothing new', await timed(() => archiveClosedRequests(client, db.dataSource, archive))]);
    rows.push([`before: one describe per unarchived (${OPEN})`, await forEachConcurrently(ids.slice(0, OPEN), 1, async (requestId) => {
      await client.workflow.getHandle(`update-request-${requestId}`).describe();
    })]);

    console.log(`archive sweep with ${OPEN} open and ${CLOSED} closed requests (ms; ratio to the bare list)`);
    const floor = rows[0][1];
    for (const [name, ms] of rows) console.log(name.padEnd(44), ms.toFixed(0).padStart(8), `${(ms / floor).toFixed(1)}×`.padStart(8));
    return Object.fromEntries(rows.map(([name, ms]) => [`${name} (ms)`, ms]));
  } finally {
    await stack.stop();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
