import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import pino from 'pino';
import { RequestReadModel } from '../../api/requests/request-read-model';
import { serializeErrors } from '../../platform/logging';
import { sweepTaskFailures } from '../../platform/operations/task-failure-monitor';
import { FAILURE_CONVERTER_PATH, payloadDataConverter } from '../../platform/payload-codec';
import { serveWorkerMetrics, WorkerMetrics } from '../../worker/worker-metrics';
import { updateRequestWorkflowId } from '../../workflows/update-request.contract';
import { startApi, testConfig, type RunningApi } from '../support/api';
import { UpdateHarness } from '../support/update-harness';

const CAUSE = 'cannot read the slot of clara@customer.test';

/**
 * A workflow task that really fails, on the real time-skipping server, with payloads and failures
 * sealed as in production: the worker's sweep logs it as an error with the workflow id and the
 * decoded cause, counts it in its Prometheus metrics, and the API's /health names the request.
 */
describe('failing workflow tasks are loud', () => {
  let h: UpdateHarness;
  let api: RunningApi;
  let worker: Worker;
  let running: Promise<void>;
  let metricsUrl: string;
  let closeMetrics: () => void;
  const metrics = new WorkerMetrics();
  const logged: Array<{ details: Record<string, unknown>; message: string }> = [];
  const log = { error: (details: object, message: string) => { logged.push({ details: { ...details }, message }); } };
  const taskQueue = `failing-${randomUUID()}`;
  const stuck = { requestId: randomUUID() };
  const healthy = { requestId: randomUUID() };

  before(async () => {
    h = await UpdateHarness.start();
    api = await startApi(testConfig(h.env, h.db, h.mailbox));
    const served = await serveWorkerMetrics(metrics, '127.0.0.1', 0);
    metricsUrl = served.url;
    closeMetrics = () => served.server.close();
    const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./failing-task.workflow'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: silent });
    worker = await Worker.create({
      connection: h.env.nativeConnection, taskQueue, workflowBundle: bundle, dataConverter: payloadDataConverter(h.config.payloadKeys),
    });
    running = worker.run();
    const readModel = new RequestReadModel(h.db.dataSource);
    for (const [{ requestId }, workflowType, args] of [[stuck, 'failingTaskWorkflow', [CAUSE]], [healthy, 'waitingWorkflow', []]] as const) {
      await readModel.insertAccepted(await h.request({ requestId }));
      await h.env.client.workflow.start(workflowType, { taskQueue, workflowId: updateRequestWorkflowId(requestId), args: [...args] });
    }
  });
  after(async () => {
    closeMetrics?.();
    worker?.shutdown();
    await running;
    await api?.app.close();
    await h?.stop();
  });

  const sweep = () => sweepTaskFailures({
    client: h.env.client, converter: loadDataConverter(payloadDataConverter(h.config.payloadKeys)), dataSource: h.db.dataSource, log, metrics,
  });
  const scrape = async () => (await fetch(metricsUrl)).text();

  it('logs the failing workflow with its decoded cause, counts it and names its request in /health', async () => {
    const workflowId = updateRequestWorkflowId(stuck.requestId);
    const handle = h.env.client.workflow.getHandle(workflowId);
    // The failure as the server holds it: sealed by the failure converter, not readable there.
    const sealed = await waitForTaskFailure(handle);
    assert.equal(sealed.message, 'Encoded failure');

    const found = await sweep();

    assert.deepEqual(found.map((f) => [f.requestId, f.workflowId, f.cause]), [[stuck.requestId, workflowId, `TypeError: ${CAUSE}`]]);
    assert.deepEqual(logged.map((l) => [l.message, l.details.workflowId, l.details.cause]),
      [['workflow task failing: the request makes no progress until the cause is fixed', workflowId, `TypeError: ${CAUSE}`]]);
    const text = await scrape();
    assert.match(text, /^workflow_task_failures_total 1$/m);
    assert.match(text, /^workflows_with_failing_task 1$/m);
    const health = await fetch(`${api.url}/health`);
    const body = (await health.json()) as { details: { workflowTasks: { failing: Array<Record<string, string>> } } };
    assert.equal(health.status, 200);
    assert.deepEqual(body.details.workflowTasks.failing.map((f) => [f.requestId, f.workflowId, f.cause]),
      [[stuck.requestId, workflowId, `TypeError: ${CAUSE}`]]);
  });

  it('logs it again on every sweep but counts it once; once it stops failing it leaves /health', async () => {
    await sweep();
    assert.equal(logged.length, 2);
    assert.match(await scrape(), /^workflow_task_failures_total 1$/m);

    await h.env.client.workflow.getHandle(updateRequestWorkflowId(stuck.requestId)).terminate('fixed by hand');
    assert.deepEqual(await sweep(), []);

    assert.match(await scrape(), /^workflows_with_failing_task 0$/m);
    const body = (await (await fetch(`${api.url}/health`)).json()) as { details: { workflowTasks: { failing: unknown[] } } };
    assert.deepEqual(body.details.workflowTasks.failing, []);
  });

  it("writes the SDK's errors into the JSON log with type, message and stack, not as {}", () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } });

    logger.warn(serializeErrors({ workflowId: 'w-1', error: new TypeError(CAUSE) }), 'Workflow failed');

    const entry = JSON.parse(lines[0]) as { workflowId: string; error: { type: string; message: string; stack: string } };
    assert.equal(entry.workflowId, 'w-1');
    assert.deepEqual([entry.error.type, entry.error.message], ['TypeError', CAUSE]);
    assert.match(entry.error.stack, /^TypeError: cannot read the slot/);
  });
});

/** Waits (real time, a few seconds) until the run's history records a failed workflow task. */
async function waitForTaskFailure(handle: ReturnType<UpdateHarness['env']['client']['workflow']['getHandle']>) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = (await handle.fetchHistory()).events ?? [];
    const failed = events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure;
    if (failed) return failed;
    if (Date.now() > deadline) throw new Error('no workflow task failed');
    await new Promise((r) => setTimeout(r, 200));
  }
}
