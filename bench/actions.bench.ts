/**
 * Intake and human actions, the service beside the bare SDK in the same run on one Temporal dev
 * server: starts the server, the production worker and API (on free ports, a fresh schema, a mail
 * sink), and a bare worker with a minimal workflow. Then
 * - intake: BENCH_REQUESTS (default 300) `POST /requests` at concurrency 16 against as many bare
 *   `client.workflow.start` before it and as many right after it (while the worker still runs the
 *   new requests), and how fast the requests reach their first wait;
 * - actions, one at a time: BENCH_ACTIONS (default 100) operator short-notice decisions and slot
 *   proposals against as many bare `executeUpdate` calls on a waiting minimal workflow.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { CredentialStore } from '../api/auth/credential-store';
import { startTemporalDevServer } from '../local/temporal-dev-server';
import { loadConfig } from '../platform/config';
import { createMailTransport } from '../platform/mail/mail-transport';
import { callApi, type Caller } from '../test/api/api-harness';
import { startApi } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';
import { createTestDataDir, freePort, testLogger } from '../test/support/local-runtime';
import { TestMailbox } from '../test/support/mailbox';
import { quietTemporalRuntime } from '../test/support/temporal';
import { createWorker } from '../worker/worker';
import { minimalWorkflow, touchUpdate } from './baseline/minimal.workflow';
import { quantile } from './quantile';
import { medianStages } from './update-stages';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const ACTIONS = Math.min(REQUESTS, Number(process.env.BENCH_ACTIONS ?? 100));
const CONCURRENCY = 16;
const DAY_MS = 86_400_000;

export async function actionsBench(): Promise<void> {
  quietTemporalRuntime();
  const dataDir = await createTestDataDir();
  const server = await startTemporalDevServer({
    dataDir: dataDir.path, namespace: 'default', logger: testLogger, port: await freePort(), uiPort: await freePort(),
  });
  const [db, mailbox] = await Promise.all([createTestDatabase(), TestMailbox.start()]);
  const connection = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection });
  const config = loadConfig({
    TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
    DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, SMTP_URL: mailbox.url, LOG_LEVEL: 'fatal',
    INVENTORY_CHECK: 'off', ARCHIVE_SWEEP_MINUTES: '0', TASK_FAILURE_SWEEP_MINUTES: '0',
    RATE_LIMIT_PER_KEY: '1000000', RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_SUBMISSIONS: '1000000', RATE_LIMIT_MAIL: '1000000',
  });
  const mailer = createMailTransport(config.mail);
  const worker = await createWorker({ config, connection: native, dataSource: db.dataSource, mailer });
  const bareQueue = `bare-${randomUUID()}`;
  const bareWorker = await Worker.create({
    connection: native, taskQueue: bareQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'baseline', 'minimal.workflow.js'), logger: silent }),
  });
  const running = [worker.run(), bareWorker.run()];
  const api = await startApi(config);
  try {
    const credentials = new CredentialStore(db.dataSource);
    await credentials.createCustomer({ id: 'cust-bench', name: 'Bench AG' });
    const customer: Caller = { name: 'customer', key: (await credentials.issue({ role: 'customer', customerId: 'cust-bench', subject: 'bench' })).apiKey };
    const operator: Caller = { name: 'operator', key: (await credentials.issue({ role: 'operator', subject: 'bench' })).apiKey };
    const call = (caller: Caller, method: string, route: string, body?: unknown) => callApi(api.url, caller, method, route, body);
    const rows: Row[] = [];

    // Intake: starts per second, bare first.
    const bareIds = Array.from({ length: REQUESTS }, () => `bare-${randomUUID()}`);
    const bareStart = await timedAll(bareIds, (workflowId) => client.workflow.start(minimalWorkflow, { taskQueue: bareQueue, workflowId }));
    const requestIds: string[] = [];
    const intakeStarted = performance.now();
    const serviceStart = await timedAll(bareIds.map(() => submission()), async (body) => {
      const res = await call(customer, 'POST', '/requests', body);
      if (res.status !== 201) throw new Error(`submission refused: ${res.status} ${JSON.stringify(res.body)}`);
      requestIds.push(res.body.requestId);
    });
    // The same bare starts again while the worker still runs the service's new requests: what the
    // server's load from those workflows costs any start, ours or not.
    const bareUnderLoad = await timedAll(bareIds.map(() => `bare-${randomUUID()}`), (workflowId) => client.workflow.start(minimalWorkflow, { taskQueue: bareQueue, workflowId }));
    await untilAll(db.dataSource, requestIds, 'lead-time-review');
    const firstWait = REQUESTS / ((performance.now() - intakeStarted) / 1000);
    rows.push(
      { name: `bare: workflow.start, concurrency ${CONCURRENCY} (/s)`, value: REQUESTS / (bareStart / 1000), ratio: 1 },
      { name: `service: POST /requests (/s)`, value: REQUESTS / (serviceStart / 1000), ratio: bareStart / serviceStart },
      { name: 'bare: workflow.start after it, its workflows running (/s)', value: REQUESTS / (bareUnderLoad / 1000), ratio: bareStart / bareUnderLoad },
      { name: 'service: requests reaching their first wait (/s)', value: firstWait },
    );

    // Actions, one at a time: p50 and p99 in ms.
    const bare = await latencies(bareIds.slice(0, ACTIONS), (workflowId) => client.workflow.getHandle(workflowId).executeUpdate(touchUpdate, { args: ['bench'] }));
    const acting = requestIds.slice(0, ACTIONS);
    const decisions = await latencies(acting, (id) => expect200(call(operator, 'POST', `/requests/${id}/short-notice-decision`, { decision: 'accept', reason: 'bench' })));
    await untilAll(db.dataSource, acting, 'scheduling');
    const start = new Date(Date.now() + 2 * DAY_MS).toISOString();
    const proposals = await latencies(acting, (id) => expect200(call(operator, 'POST', `/requests/${id}/slot-proposals`, { start, durationMinutes: 60, engineer: 'Bench' })));
    for (const [name, times] of [['bare: executeUpdate', bare], ['service: short-notice decision', decisions], ['service: slot proposal', proposals]] as const) {
      rows.push({ name: `${name} p50 (ms)`, value: quantile(times, 0.5), ratio: quantile(times, 0.5) / quantile(bare, 0.5) });
      rows.push({ name: `${name} p99 (ms)`, value: quantile(times, 0.99), ratio: quantile(times, 0.99) / quantile(bare, 0.99) });
    }

    // Where each action's time went: the API's own share is what the history does not account for.
    const workflows: Array<{ workflow_id: string }> = await db.dataSource.query('SELECT workflow_id FROM update_requests WHERE request_id = ANY($1)', [acting]);
    const actingWorkflows = workflows.map((w) => w.workflow_id);
    for (const [name, ids, update, times] of [
      ['bare: executeUpdate', bareIds.slice(0, ACTIONS), touchUpdate.name, bare],
      ['service: short-notice decision', actingWorkflows, 'decideShortNotice', decisions],
      ['service: slot proposal', actingWorkflows, 'proposeSlot', proposals],
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

    console.log(`intake of ${REQUESTS} requests and ${ACTIONS} actions of each kind on one dev server (ratio to the bare SDK)`);
    for (const { name, value, ratio } of rows) {
      console.log(name.padEnd(64), value.toFixed(1).padStart(9), ratio === undefined ? '' : `${ratio.toFixed(2)}×`.padStart(8));
    }
  } finally {
    await api.app.close();
    worker.shutdown();
    bareWorker.shutdown();
    await Promise.all(running);
    mailer.close();
    await native.close();
    await connection.close();
    await mailbox.close();
    await db.drop();
    await server.process.stop();
    await dataDir.remove();
  }
}

interface Row { name: string; value: number; ratio?: number }

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

/** A short-notice submission (three days ahead) with a target of its own, so slots never clash. */
function submission() {
  return {
    software: { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2024.1', targetVersion: '2025.2' },
    category: 'feature', severity: 'major', criticalSecurity: false,
    installer: { location: 'https://downloads.abacus.example/erp/2025.2/setup.exe', sha256: 'a'.repeat(64) },
    licenceReferences: ['LIC-4711'], performer: { kind: 'provider' },
    desiredStart: new Date(Date.now() + 3 * DAY_MS).toISOString(), timeZone: 'Europe/Zurich', expectedDurationMinutes: 60,
    targets: [{ name: `app-${randomUUID().slice(0, 8)}`, kind: 'application-server' }], clientUpdateIncluded: false,
    contacts: [{ name: 'Clara Kunde', email: 'clara@customer.test' }],
    releaseNotes: { summary: 'New: payroll export to Swissdec 5. Fixed: VAT rounding.' },
  };
}

async function expect200(answer: Promise<{ status: number; body: unknown }>): Promise<void> {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`action refused: ${status} ${JSON.stringify(body)}`);
}

/** Runs `each` over `items` at CONCURRENCY; answers the milliseconds it took. */
async function timedAll<T>(items: T[], each: (item: T) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await each(items[next++]);
  }));
  return performance.now() - started;
}

/** Each call's milliseconds, one call at a time, sorted. */
async function latencies<T>(items: T[], each: (item: T) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await each(item);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function untilAll(dataSource: { query(sql: string, params: unknown[]): Promise<Array<{ n: string }>> }, requestIds: string[], status: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const [{ n }] = await dataSource.query(`SELECT count(*) AS n FROM update_requests WHERE request_id = ANY($1) AND status = $2`, [requestIds, status]);
    if (Number(n) === requestIds.length) return;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${requestIds.length} requests reached ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
