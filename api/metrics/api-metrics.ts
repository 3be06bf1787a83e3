import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The API's Prometheus metrics (prom-client, the de-facto Node client). Each app has a registry of
 * its own rather than prom-client's global one, so several apps in one process (tests) never clash.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly workflowsStarted = new Counter({
    name: 'update_workflows_started_total',
    help: 'Update-request workflows started by submissions',
    registers: [this.registry],
  });

  readonly updatesRefused = new Counter({
    name: 'workflow_updates_refused_total',
    help: 'Workflow Updates the workflow refused (answered 409), by Update name',
    labelNames: ['update'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
