import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

interface FailingTaskRow {
  request_id: string;
  workflow_id: string;
  cause: string;
  failed_at: Date;
  first_seen_at: Date;
}

/**
 * Names the requests whose workflow task is failing, as the worker's last sweep recorded them
 * (`workflow_task_failures`). It stays "up": the API itself can serve, and a readiness probe must
 * not take it out of rotation for one stuck request. Alerting uses the worker's
 * `workflows_with_failing_task` metric; this is where a person sees which requests.
 */
@Injectable()
export class WorkflowTasksHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check<const Key extends string>(key: Key) {
    const indicator = this.indicators.check(key);
    try {
      const rows: FailingTaskRow[] = await this.dataSource.query(
        `SELECT request_id, workflow_id, cause, failed_at, first_seen_at FROM workflow_task_failures ORDER BY first_seen_at, workflow_id`);
      return indicator.up({
        failing: rows.map((r) => ({
          requestId: r.request_id, workflowId: r.workflow_id, cause: r.cause,
          failedAt: r.failed_at.toISOString(), since: r.first_seen_at.toISOString(),
        })),
      });
    } catch (err) {
      return indicator.down({ message: err instanceof Error ? err.message : String(err) });
    }
  }
}
