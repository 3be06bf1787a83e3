import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The history archive refuses edits and deletions, as the audit trail does. The digest chain
 * still catches a change made by someone able to lift this guard; the trigger stops accidents and
 * ordinary roles. Exports look histories up by workflow id, hence the index.
 */
export class ArchiveAppendOnly1795450000000 implements MigrationInterface {
  name = 'ArchiveAppendOnly1795450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX archived_histories_workflow_idx ON archived_histories (workflow_id, seq)`);
    await q.query(`
      CREATE FUNCTION archived_histories_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'archived_histories is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER archived_histories_no_change BEFORE UPDATE OR DELETE ON archived_histories
      FOR EACH ROW EXECUTE FUNCTION archived_histories_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER archived_histories_no_change ON archived_histories`);
    await q.query(`DROP FUNCTION archived_histories_append_only()`);
    await q.query(`DROP INDEX archived_histories_workflow_idx`);
  }
}
