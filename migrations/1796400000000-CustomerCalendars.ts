import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customers' calendars. Each customer's calendar feed: the SHA-256 of its one live token (the
 * token itself is shown once and never stored). Issuing a new token replaces the row, revoking
 * deletes it; either way the old URL stops answering. The monthly maintenance plan's message is
 * about several requests, so an outbox row no longer needs one.
 */
export class CustomerCalendars1796400000000 implements MigrationInterface {
  name = 'CustomerCalendars1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feeds (
        customer_id  text PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        token_hash   text NOT NULL UNIQUE,
        issued_at    timestamptz NOT NULL DEFAULT now(),
        issued_by    text NOT NULL
      )`);
    await q.query(`ALTER TABLE outbox_messages ALTER COLUMN request_id DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox_messages WHERE request_id IS NULL`);
    await q.query(`ALTER TABLE outbox_messages ALTER COLUMN request_id SET NOT NULL`);
    await q.query(`DROP TABLE calendar_feeds`);
  }
}
