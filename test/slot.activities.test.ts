import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createSlotActivities } from '../activities/slot.activities';
import { SupportHours } from '../activities/support-hours';
import { loadConfig } from '../platform/config';
import { createTestDatabase, type TestDatabase } from './support/database';

describe('assessSlot / releaseSlot against PostgreSQL', () => {
  let db: TestDatabase;
  let sut: ReturnType<typeof createSlotActivities>;

  before(async () => {
    db = await createTestDatabase();
    sut = createSlotActivities({ dataSource: db.dataSource, supportHours: new SupportHours(loadConfig({}).supportHours) });
  });
  after(async () => {
    await db?.drop();
  });

  /** A target no other test uses: advisory locks are database-wide. */
  const vm = () => `vm-${randomUUID()}`;
  const request = () => `req-${randomUUID()}`;

  async function reservations(target: string): Promise<Array<{ request_id: string; starts_at: Date; ends_at: Date }>> {
    return db.dataSource.query('SELECT request_id, starts_at, ends_at FROM slot_reservations WHERE target = $1 ORDER BY request_id', [target]);
  }

  it('reserves every target of a free slot and judges support hours', async () => {
    const [a, b, requestId] = [vm(), vm(), request()];

    const result = await sut.assessSlot({ requestId, targets: [b, a], start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z' });

    assert.deepEqual(result, { withinSupportHours: true, conflicts: [] });
    for (const target of [a, b]) {
      assert.deepEqual(await reservations(target), [
        { request_id: requestId, starts_at: new Date('2026-12-01T08:00:00Z'), ends_at: new Date('2026-12-01T10:00:00Z') },
      ]);
    }
    const evening = await sut.assessSlot({ requestId, targets: [a], start: '2026-12-01T18:00:00Z', end: '2026-12-01T19:00:00Z' });
    assert.equal(evening.withinSupportHours, false);
  });

  it("lists another request's overlapping reservation and changes nothing", async () => {
    const [shared, other, holder, requestId] = [vm(), vm(), request(), request()];
    await sut.assessSlot({ requestId: holder, targets: [shared], start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z' });

    const result = await sut.assessSlot({ requestId, targets: [shared, other], start: '2026-12-01T09:00:00Z', end: '2026-12-01T11:00:00Z' });

    assert.deepEqual(result.conflicts, [
      { requestId: holder, target: shared, start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T10:00:00.000Z' },
    ]);
    assert.deepEqual((await reservations(shared)).map((r) => r.request_id), [holder]);
    assert.deepEqual(await reservations(other), []);
  });

  it('answers a retried assessment the same way', async () => {
    const [target, requestId] = [vm(), request()];
    const input = { requestId, targets: [target], start: '2026-12-02T08:00:00Z', end: '2026-12-02T09:00:00Z' };

    const first = await sut.assessSlot(input);
    const retried = await sut.assessSlot(input);

    assert.deepEqual(retried, first);
    assert.equal((await reservations(target)).length, 1);
  });

  it('moves the same request to its newly proposed slot and frees targets it no longer names', async () => {
    const [kept, dropped, requestId] = [vm(), vm(), request()];
    await sut.assessSlot({ requestId, targets: [kept, dropped], start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z' });

    const moved = await sut.assessSlot({ requestId, targets: [kept], start: '2026-12-01T09:00:00Z', end: '2026-12-01T12:00:00Z' });

    assert.deepEqual(moved.conflicts, []);
    assert.deepEqual(await reservations(kept), [
      { request_id: requestId, starts_at: new Date('2026-12-01T09:00:00Z'), ends_at: new Date('2026-12-01T12:00:00Z') },
    ]);
    assert.deepEqual(await reservations(dropped), []);
  });

  it('lets slots that only touch share a target', async () => {
    const target = vm();
    await sut.assessSlot({ requestId: request(), targets: [target], start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z' });

    const before = await sut.assessSlot({ requestId: request(), targets: [target], start: '2026-12-01T06:00:00Z', end: '2026-12-01T08:00:00Z' });
    const afterwards = await sut.assessSlot({ requestId: request(), targets: [target], start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z' });

    assert.deepEqual(before.conflicts, []);
    assert.deepEqual(afterwards.conflicts, []);
    assert.equal((await reservations(target)).length, 3);
  });

  it('frees the target on release, and a second release is harmless', async () => {
    const [target, holder] = [vm(), request()];
    const slot = { targets: [target], start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z' };
    await sut.assessSlot({ requestId: holder, ...slot });

    await sut.releaseSlot({ requestId: holder });
    await sut.releaseSlot({ requestId: holder });

    assert.deepEqual(await reservations(target), []);
    assert.deepEqual((await sut.assessSlot({ requestId: request(), ...slot })).conflicts, []);
  });

  it('lets exactly one of several concurrent requests for one target win', async () => {
    // Several rounds, because a race that is lost only sometimes must still fail this test.
    for (let round = 0; round < 5; round++) {
      const target = vm();
      const requests = Array.from({ length: 8 }, request);

      const results = await Promise.all(requests.map((requestId, i) =>
        sut.assessSlot({ requestId, targets: [target], start: `2026-12-01T0${8 + (i % 2)}:00:00Z`, end: '2026-12-01T11:00:00Z' })));

      const winners = requests.filter((_, i) => results[i].conflicts.length === 0);
      assert.equal(winners.length, 1);
      for (const lost of results.filter((r) => r.conflicts.length > 0)) {
        assert.deepEqual(lost.conflicts.map((c) => c.requestId), winners);
      }
      assert.deepEqual((await reservations(target)).map((r) => r.request_id), winners);
    }
  });

  it('refuses a slot that ends before it starts, non-retryably', async () => {
    const target = vm();
    await assert.rejects(
      sut.assessSlot({ requestId: request(), targets: [target], start: '2026-12-01T10:00:00Z', end: '2026-12-01T09:00:00Z' }),
      (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable && err.type === 'InvalidSlot',
    );
    assert.deepEqual(await reservations(target), []);
  });
});
