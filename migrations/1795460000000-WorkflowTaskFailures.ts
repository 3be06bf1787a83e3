import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workflows whose task is failing right now, as the worker's task-failure monitor last saw
 * them: the API's /health names their requests. The monitor replaces the rows on every sweep, so
 * a workflow that recovered disappears.
 */
export class WorkflowTaskFailures1795460000000 implements MigrationInterface {
  name = 'WorkflowTaskFailures1795460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflow_task_failures (
        workflow_id   text PRIMARY KEY,
        request_id    text NOT NULL,
        cause         text NOT NULL,
        failed_at     timestamptz NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_task_failures`);
  }
}
