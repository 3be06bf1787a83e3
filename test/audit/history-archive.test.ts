import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { chainDigest, HistoryArchive } from '../../platform/audit/history-archive';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** A stand-in history: the chain covers any text, and the real ones are covered by audit-trail.test. */
function entry(n: number) {
  return { workflowId: `update-request-${n}`, runId: `run-${n}`, closedAt: new Date(Date.UTC(2026, 10, n, 12)), json: JSON.stringify({ events: [{ eventId: String(n) }] }) };
}

describe('history archive: gzip in PostgreSQL, SHA-256 chain', () => {
  let db: TestDatabase;
  let sut: HistoryArchive;
  before(async () => { db = await createTestDatabase(); });
  after(async () => { await db?.drop(); });
  beforeEach(async () => {
    // Tampering needs the append-only guard lifted, as an intruder with the owner's rights could.
    await db.dataSource.query('ALTER TABLE archived_histories DISABLE TRIGGER archived_histories_no_change');
    await db.dataSource.query('TRUNCATE archived_histories RESTART IDENTITY');
    await db.dataSource.query('ALTER TABLE archived_histories ENABLE TRIGGER archived_histories_no_change');
    sut = new HistoryArchive(db.dataSource);
    for (let n = 1; n <= 4; n++) assert.equal(await sut.append(entry(n)), 'archived');
  });

  async function tamper(sql: string): Promise<void> {
    await db.dataSource.query('ALTER TABLE archived_histories DISABLE TRIGGER archived_histories_no_change');
    await db.dataSource.query(sql);
    await db.dataSource.query('ALTER TABLE archived_histories ENABLE TRIGGER archived_histories_no_change');
  }

  it('stores each history compressed, reads it back, and verifies the intact chain', async () => {
    assert.equal(await sut.append(entry(2)), 'already-archived');
    const [row] = await db.dataSource.query(`SELECT history_gzip FROM archived_histories WHERE seq = 1`);
    assert.equal(row.history_gzip[0], 0x1f, 'gzip magic');
    assert.equal((await sut.read('update-request-3'))?.json, entry(3).json);
    const verdict = await sut.verify();
    assert.equal(verdict.intact, true);
    assert.equal(verdict.checked, 4);
    assert.match(verdict.headDigest!, /^[0-9a-f]{64}$/);
  });

  it('refuses edits and deletions through SQL', async () => {
    await assert.rejects(db.dataSource.query(`DELETE FROM archived_histories WHERE seq = 2`), /append-only/);
    await assert.rejects(db.dataSource.query(`UPDATE archived_histories SET run_id = 'x'`), /append-only/);
  });

  it('names an edited history as the first broken link', async () => {
    const forged = JSON.stringify({ events: [{ eventId: '99' }] });
    await tamper(`UPDATE archived_histories SET history_gzip = '\\x${gzipSync(forged).toString('hex')}' WHERE seq = 2`);
    const verdict = await sut.verify();
    assert.equal(verdict.intact, false);
    assert.equal(verdict.brokenLink?.seq, 2);
    assert.equal(verdict.brokenLink?.workflowId, 'update-request-2');
    assert.match(verdict.brokenLink!.reason, /no longer matches its digest/);
    assert.equal(verdict.checked, 1);
  });

  it('catches an edit whose digest was recomputed, at the next link', async () => {
    const [first] = await db.dataSource.query(`SELECT digest FROM archived_histories WHERE seq = 1`);
    const forged = { ...entry(2), runId: 'forged-run' };
    await tamper(`UPDATE archived_histories SET run_id = 'forged-run', digest = '${chainDigest(first.digest, forged)}' WHERE seq = 2`);
    const verdict = await sut.verify();
    assert.equal(verdict.brokenLink?.seq, 3);
    assert.match(verdict.brokenLink!.reason, /follows seq 2 but does not carry that history's digest/);
  });

  it('names the history after a deleted one', async () => {
    await tamper(`DELETE FROM archived_histories WHERE seq = 2`);
    const verdict = await sut.verify();
    assert.equal(verdict.intact, false);
    assert.equal(verdict.brokenLink?.seq, 3);
    assert.match(verdict.brokenLink!.reason, /deleted/);
  });

  it('catches deleting the oldest history, and the newest against a recorded head', async () => {
    const { headDigest } = await sut.verify();
    await tamper(`DELETE FROM archived_histories WHERE seq = 4`);
    assert.equal((await sut.verify()).intact, true, 'without a recorded head, a missing tail looks like a shorter archive');
    const verdict = await sut.verify(headDigest!);
    assert.equal(verdict.intact, false);
    assert.match(verdict.brokenLink!.reason, /recorded head digest .* is no longer in the archive/);

    await tamper(`DELETE FROM archived_histories WHERE seq = 1`);
    const oldest = await sut.verify();
    assert.equal(oldest.brokenLink?.seq, 2);
    assert.match(oldest.brokenLink!.reason, /older histories were deleted/);
  });
});
