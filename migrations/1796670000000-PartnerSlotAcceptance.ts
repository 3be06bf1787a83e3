import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The links a partner who performs an update accepts a proposed slot with: one per request and
 * proposal, holding only the SHA-256 of its token (the token travels in the partner's mail alone).
 * A retried mail replaces the row, so the link in the mail that went out is the one that works.
 */
export class PartnerSlotAcceptance1796670000000 implements MigrationInterface {
  name = 'PartnerSlotAcceptance1796670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slot_acceptance_links (
        request_id     text NOT NULL,
        proposal       integer NOT NULL CHECK (proposal > 0),
        partner_email  text NOT NULL,
        token_hash     text NOT NULL UNIQUE,
        issued_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (request_id, proposal)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slot_acceptance_links`);
  }
}
