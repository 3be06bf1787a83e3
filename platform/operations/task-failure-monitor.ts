import type { Client } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import type { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { FINAL_STATUSES } from '../../workflows/update-request.contract';
import { findFailingWorkflowTasks, type FailingWorkflowTask } from './failing-workflow-tasks';

export interface TaskFailureMonitorDependencies {
  client: Client;
  converter: LoadedDataConverter;
  dataSource: DataSource;
  log: { error(details: object, message: string): void };
  metrics: { taskFailuresDetected: Counter; workflowsWithFailingTask: Gauge };
}

/**
 * One sweep over the open requests: every workflow whose task is failing is logged as an error
 * with its id and decoded cause (on every sweep, for as long as it fails), counted once when first
 * seen, and recorded in `workflow_task_failures` for /health; recovered ones leave the table.
 * Candidates come from the read model, as for the archive: the time-skipping test server has no
 * visibility queries, and Temporal's own flag (`TemporalReportedProblems`, servers 1.28+) is not
 * available everywhere we run.
 */
export async function sweepTaskFailures({ client, converter, dataSource, log, metrics }: TaskFailureMonitorDependencies): Promise<FailingWorkflowTask[]> {
  const open: Array<{ request_id: string; workflow_id: string }> = await dataSource.query(
    `SELECT request_id, workflow_id FROM update_requests WHERE status <> ALL($1) ORDER BY submitted_at, request_id`, [FINAL_STATUSES]);
  const failing = await findFailingWorkflowTasks(client, converter, open.map((r) => ({ requestId: r.request_id, workflowId: r.workflow_id })));
  const known = new Set((await dataSource.query(`SELECT workflow_id FROM workflow_task_failures`) as Array<{ workflow_id: string }>)
    .map((r) => r.workflow_id));
  for (const failure of failing) {
    log.error({ ...failure }, 'workflow task failing: the request makes no progress until the cause is fixed');
    if (!known.has(failure.workflowId)) metrics.taskFailuresDetected.inc();
  }
  metrics.workflowsWithFailingTask.set(failing.length);
  await dataSource.transaction(async (tx) => {
    await tx.query(`DELETE FROM workflow_task_failures WHERE workflow_id <> ALL($1)`, [failing.map((f) => f.workflowId)]);
    for (const { workflowId, requestId, cause, failedAt } of failing) {
      await tx.query(
        `INSERT INTO workflow_task_failures (workflow_id, request_id, cause, failed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workflow_id) DO UPDATE SET cause = EXCLUDED.cause, failed_at = EXCLUDED.failed_at`,
        [workflowId, requestId, cause, failedAt]);
    }
  });
  return failing;
}
