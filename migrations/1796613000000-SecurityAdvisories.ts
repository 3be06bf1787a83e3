import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Critical security requests an operator published as security advisories: one per request, with
 * who published it and when (the audit of the publication; the messages are in the outbox).
 */
export class SecurityAdvisories1796613000000 implements MigrationInterface {
  name = 'SecurityAdvisories1796613000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_advisories (
        request_id    text PRIMARY KEY REFERENCES update_requests (request_id),
        published_by  text NOT NULL,
        published_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_advisories`);
  }
}
