import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the API needs beyond the initial read model: the submitted request itself (written once by
 * the API, so a request reads back in full without a Temporal query), the outcome of a closed
 * request, and the fingerprint of the body an idempotency key was first used with, so a reused key
 * with a different body is refused rather than answered with the wrong request.
 */
export class ApiReadModel1795430000000 implements MigrationInterface {
  name = 'ApiReadModel1795430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE update_requests ADD COLUMN request jsonb, ADD COLUMN outcome text`);
    await q.query(`CREATE INDEX update_requests_scheduled_idx ON update_requests (scheduled_start) WHERE scheduled_start IS NOT NULL`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN body_sha256 text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN body_sha256 DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN body_sha256`);
    await q.query(`DROP INDEX update_requests_scheduled_idx`);
    await q.query(`ALTER TABLE update_requests DROP COLUMN outcome, DROP COLUMN request`);
  }
}
