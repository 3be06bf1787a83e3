import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * The worker's Prometheus metrics, served by the worker itself: it is a process of its own, and
 * what it alone sees (failing workflow tasks) must not depend on the API being up.
 */
export class WorkerMetrics {
  readonly registry = new Registry();

  readonly taskFailuresDetected = new Counter({
    name: 'workflow_task_failures_total',
    help: 'Workflows found with a failing workflow task (a bug that throws, a non-determinism), counted once each',
    registers: [this.registry],
  });

  readonly workflowsWithFailingTask = new Gauge({
    name: 'workflows_with_failing_task',
    help: 'Workflows whose latest workflow task failed, as of the last sweep; anything above 0 needs a person',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Serves `GET /metrics` on host:port (port 0: any free one); resolves with the URL once listening. */
export async function serveWorkerMetrics(metrics: WorkerMetrics, host: string, port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return { url: `http://${host}:${address.port}/metrics`, server };
}
