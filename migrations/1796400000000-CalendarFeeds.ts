import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each customer's calendar feed: the SHA-256 of its one live token (the token itself is shown once
 * and never stored). Issuing a new token replaces the row, revoking deletes it; either way the old
 * URL stops answering.
 */
export class CalendarFeeds1796400000000 implements MigrationInterface {
  name = 'CalendarFeeds1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feeds (
        customer_id  text PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        token_hash   text NOT NULL UNIQUE,
        issued_at    timestamptz NOT NULL DEFAULT now(),
        issued_by    text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feeds`);
  }
}
