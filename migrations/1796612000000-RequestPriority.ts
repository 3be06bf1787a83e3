import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each request's priority (1 most urgent to 4, workflows/priority.ts), kept by the workflow's
 * projection: the operators' queue orders by it, then by the nearest deadline. Rows written before
 * are given theirs from the submitted request where it is stored; the rest stay without (last).
 */
export class RequestPriority1796612000000 implements MigrationInterface {
  name = 'RequestPriority1796612000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE update_requests ADD COLUMN priority smallint CHECK (priority BETWEEN 1 AND 4)`);
    await q.query(`
      UPDATE update_requests SET priority = CASE
        WHEN (request->>'criticalSecurity')::boolean THEN 1
        ELSE array_position(ARRAY['blocker', 'high', 'major', 'minor'], request->>'severity') END
      WHERE request IS NOT NULL`);
    await q.query(`CREATE INDEX update_requests_queue_idx ON update_requests (priority ASC NULLS LAST, next_deadline ASC NULLS LAST, submitted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX update_requests_queue_idx`);
    await q.query(`ALTER TABLE update_requests DROP COLUMN priority`);
  }
}
