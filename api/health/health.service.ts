import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SmtpHealthIndicator } from './smtp.health';
import { TemporalHealthIndicator } from './temporal.health';
import { WorkflowTasksHealthIndicator } from './workflow-tasks.health';

/** Each probe's limit, so that /health answers in a few seconds even when a peer hangs. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * The three dependencies a request may need (Temporal, PostgreSQL and the SMTP relay), and the
 * requests whose workflow task is failing.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly temporal: TemporalHealthIndicator,
    private readonly smtp: SmtpHealthIndicator,
    private readonly workflowTasks: WorkflowTasksHealthIndicator,
  ) {}

  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.temporal.pingCheck('temporal', CHECK_TIMEOUT_MS),
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.smtp.pingCheck('smtp', CHECK_TIMEOUT_MS),
        () => this.workflowTasks.check('workflowTasks'),
      ]);
    } catch (err) {
      // Terminus reports "down" as a 503 carrying its result; restate it in the API's error format.
      const result = err instanceof ServiceUnavailableException ? err.getResponse() : undefined;
      if (!isHealthCheckResult(result)) throw err;
      const down = Object.keys(result.error ?? {});
      throw new ServiceUnavailableException({ message: `down: ${down.join(', ')}`, details: result.details });
    }
  }
}

function isHealthCheckResult(value: unknown): value is HealthCheckResult {
  return typeof value === 'object' && value !== null && 'status' in value && 'details' in value;
}
