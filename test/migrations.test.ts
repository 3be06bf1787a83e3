import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../platform/database/data-source';
import { MIGRATIONS } from '../migrations';
import { createTestDatabase, type TestDatabase } from './support/database';

// The initial schema's tables; a later migration's own test checks what that migration adds.
const INITIAL_TABLES = ['api_credentials', 'archived_histories', 'audit_events', 'customers', 'idempotency_keys', 'outbox_messages',
  'ping_results', 'update_requests'];

async function tablesIn(db: TestDatabase): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await db.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'schema_migrations' ORDER BY table_name`,
    [db.schema],
  );
  return rows.map((r) => r.table_name);
}

describe('migrations on the real PostgreSQL', () => {
  let db: TestDatabase;

  before(async () => { db = await createTestDatabase(); });
  after(async () => { await db?.drop(); });

  it('create every table', async () => {
    const tables = await tablesIn(db);
    assert.deepEqual(INITIAL_TABLES.filter((table) => !tables.includes(table)), []);
  });

  it('make audit_events append-only', async () => {
    await db.dataSource.query(
      `INSERT INTO audit_events (event_key, request_id, step, action, actor, role, occurred_at)
       VALUES ('k1', 'r1', 'submitted', 'submit', 'alice', 'customer', now())`);
    await assert.rejects(db.dataSource.query(`UPDATE audit_events SET actor = 'mallory'`), /append-only/);
    await assert.rejects(db.dataSource.query(`DELETE FROM audit_events`), /append-only/);
    assert.deepEqual(await db.dataSource.query(`SELECT actor FROM audit_events`), [{ actor: 'alice' }]);
  });

  it('apply nothing the second time', async () => {
    assert.deepEqual(await migrate(db.dataSource, db.schema), []);
  });

  it('remove every table when undone in reverse', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
    assert.deepEqual(await tablesIn(db), []);
    const functions: unknown[] = await db.dataSource.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`, [db.schema]);
    assert.deepEqual(functions, []);
    assert.deepEqual(await db.dataSource.query(`SELECT name FROM schema_migrations`), []);
  });
});
