import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { startEmbeddedDatabase } from '../local/embedded-database';
import { MIGRATIONS } from '../migrations';
import { migrateDatabase } from '../platform/database/migrate-database';
import { createTestDataDir, freePort, testLogger, type TestDataDir } from './support/local-runtime';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL of npm start', () => {
  let dataDir: TestDataDir;

  before(async () => { dataDir = await createTestDataDir(); });
  after(async () => { await dataDir?.remove(); });

  it('starts, answers, stops, and starts again on the same cluster keeping its rows', async () => {
    const port = await freePort();
    const first = await startEmbeddedDatabase({ dataDir: dataDir.path, logger: testLogger, port });
    try {
      const [{ server_version: version }] = await query<{ server_version: string }>(first.url, 'SHOW server_version');
      assert.match(version, /^\d+\.\d+/);
      await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives a restart')");
    } finally {
      await first.process.stop();
    }
    const exit = await first.process.exited;
    assert.equal(exit.signal ?? exit.code, 0, 'a fast shutdown exits with code 0');
    const created = statSync(path.join(dataDir.path, 'postgres', 'PG_VERSION')).mtimeMs;

    const second = await startEmbeddedDatabase({ dataDir: dataDir.path, logger: testLogger, port });
    try {
      const rows = await query<{ note: string }>(second.url, 'SELECT note FROM kept');
      assert.deepEqual(rows, [{ note: 'survives a restart' }]);
      assert.equal(statSync(path.join(dataDir.path, 'postgres', 'PG_VERSION')).mtimeMs, created, 'the cluster is reused, not re-created');
    } finally {
      await second.process.stop();
    }
  });

  // The migrations need what these binaries ship beside the server, such as the pg_trgm extension.
  it('takes every migration', async () => {
    const db = await startEmbeddedDatabase({ dataDir: dataDir.path, logger: testLogger, port: await freePort() });
    try {
      const applied = await migrateDatabase({ url: db.url, schema: 'public', urlGiven: true }, testLogger);
      assert.equal(applied.length, MIGRATIONS.length);
      assert.deepEqual(await query(db.url, "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'"), [{ extname: 'pg_trgm' }]);
    } finally {
      await db.process.stop();
    }
  });
});
