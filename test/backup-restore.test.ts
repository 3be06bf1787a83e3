import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { AuditService } from '../platform/audit/audit-service';
import { createDataSource, migrate } from '../platform/database/data-source';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';
import { ApiHarness, callApi, runAuditJob, type Caller } from './api/api-harness';
import { LIFECYCLES } from './histories/lifecycles';
import { startApi, testConfig, type RunningApi } from './support/api';

const run = promisify(execFile);

/** The row count of every table of the schema, by table name. */
async function rowCounts(dataSource: DataSource, schema: string): Promise<Record<string, number>> {
  const tables: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`, [schema]);
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    counts[table] = Number((await dataSource.query(`SELECT count(*) AS n FROM "${schema}"."${table}"`))[0].n);
  }
  return counts;
}

/**
 * The README's backup and restore procedure (pg_dump of the service's schema, pg_restore into a
 * fresh database) against a running service, with Temporal's state left as it is (both taken together).
 */
describe('backup and restore of the service database', () => {
  let sut: ApiHarness;
  let auditor: Caller;
  let keptHead: string;
  let restoredUrl: string;
  let restoredDatabase: string;
  let restoredApi: RunningApi | undefined;
  const work = mkdtempSync(path.join(tmpdir(), 'backup-'));

  before(async () => {
    sut = await ApiHarness.start();
    auditor = await sut.staff('auditor', 'ada');
    // A closed request, archived, whose head digest the operator keeps; then two open ones.
    await LIFECYCLES['happy-path'](sut.h);
    const audit = new AuditService({ client: sut.h.env.client, dataSource: sut.h.db.dataSource, payloadKeys: sut.h.config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH, replayConcurrency: sut.h.config.auditReplayConcurrency, replayLaneIdleMs: sut.h.config.auditReplayLaneIdleMs });
    await audit.archiveClosed();
    keptHead = (await audit.verifyArchive()).headDigest!;
    const customer = await sut.customer('acme');
    for (const daysAhead of [21, 28]) {
      const { requestId } = await sut.submit(customer, {}, daysAhead);
      await sut.untilStatus(auditor, requestId, 'scheduling');
    }
  });
  after(async () => {
    await restoredApi?.app.close();
    if (restoredDatabase) await sut.h.db.dataSource.query(`DROP DATABASE IF EXISTS "${restoredDatabase}" WITH (FORCE)`);
    await sut?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('restores into a fresh database a service that lists the same requests, keeps the archive chain and replays it', async () => {
    const { url, schema } = sut.h.db;
    const dump = path.join(work, 'managed-updates.dump');
    await run('pg_dump', [`--dbname=${url}`, `--schema=${schema}`, '--extension=pg_trgm', '--format=custom', `--file=${dump}`]);

    restoredDatabase = `restore_${randomBytes(4).toString('hex')}`;
    await sut.h.db.dataSource.query(`CREATE DATABASE "${restoredDatabase}"`);
    const target = new URL(url);
    target.pathname = `/${restoredDatabase}`;
    restoredUrl = target.toString();
    await run('pg_restore', [`--dbname=${restoredUrl}`, '--no-owner', '--clean', '--if-exists', '--exit-on-error', dump]);

    const restored = await createDataSource({ url: restoredUrl, schema, urlGiven: true }).initialize();
    try {
      assert.deepEqual(await rowCounts(restored, schema), await rowCounts(sut.h.db.dataSource, schema), 'every table, row for row');
      assert.deepEqual(await migrate(restored, schema), [], 'the restored schema is at the current migration');
    } finally {
      await restored.destroy();
    }

    // The restored service, on the same Temporal: same keys, same requests, same archive.
    restoredApi = await startApi(testConfig(sut.h.env, { ...sut.h.db, url: restoredUrl }, sut.h.mailbox, { TEMPORAL_TASK_QUEUE: sut.h.taskQueue }));
    const call = (method: string, route: string) => callApi(restoredApi!.url, auditor, method, route);
    const summary = (page: any) => page.items.map((r: any) => [r.requestId, r.status, r.software?.name ?? r.software]);
    const original = await sut.call(auditor, 'GET', '/requests?pageSize=100');
    const listed = await call('GET', '/requests?pageSize=100');
    assert.equal(listed.status, 200);
    assert.equal(listed.body.total, 3);
    assert.deepEqual(summary(listed.body), summary(original.body));
    const open = listed.body.items.find((r: any) => r.status === 'scheduling');
    const detail = await call('GET', `/requests/${open.requestId}`);
    assert.equal(detail.status, 200);
    assert.ok(detail.body.live, 'the restored service reaches the open request\'s workflow');

    const verified = await runAuditJob(restoredApi.url, auditor, { kind: 'archive-verification', expectHead: keptHead });
    assert.deepEqual([verified.status, verified.result.intact, verified.result.checked, verified.result.headDigest], ['succeeded', true, 2, keptHead]);
    const replayed = await runAuditJob(restoredApi.url, auditor, { kind: 'archive-replay' });
    assert.deepEqual([replayed.status, replayed.result.deterministic, replayed.result.replayed], ['succeeded', true, 2]);
  });
});
