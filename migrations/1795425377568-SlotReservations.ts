import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which request holds which VM when: the slot assessment refuses a slot that overlaps another
 * request's reservation on the same target. Rows are written under a per-target advisory lock.
 */
export class SlotReservations1795425377568 implements MigrationInterface {
  name = 'SlotReservations1795425377568';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slot_reservations (
        request_id  text NOT NULL,
        target      text NOT NULL,
        starts_at   timestamptz NOT NULL,
        ends_at     timestamptz NOT NULL,
        PRIMARY KEY (request_id, target),
        CHECK (starts_at < ends_at)
      )`);
    await q.query(`CREATE INDEX slot_reservations_target_idx ON slot_reservations (target, starts_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slot_reservations`);
  }
}
