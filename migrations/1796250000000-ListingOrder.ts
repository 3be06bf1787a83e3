import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists of requests are newest first, over all customers for operators and auditors: an index in
 * that order lets a page stop after its rows instead of sorting the whole read model.
 */
export class ListingOrder1796250000000 implements MigrationInterface {
  name = 'ListingOrder1796250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX update_requests_submitted_idx ON update_requests (submitted_at DESC, request_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX update_requests_submitted_idx`);
  }
}
