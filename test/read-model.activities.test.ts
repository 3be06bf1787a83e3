import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createReadModelActivities } from '../activities/read-model.activities';
import type { ReadModelState, ReadModelSync } from '../workflows/activity-contract';
import type { TimelineEntry } from '../workflows/update-request.contract';
import { createTestDatabase, type TestDatabase } from './support/database';

describe('syncReadModel against PostgreSQL', () => {
  let db: TestDatabase;
  let sut: ReturnType<typeof createReadModelActivities>;

  before(async () => {
    db = await createTestDatabase();
    sut = createReadModelActivities({ dataSource: db.dataSource });
  });
  after(async () => {
    await db?.drop();
  });

  function sync(requestId: string, version: number, changes: Partial<ReadModelState>, newEntries: TimelineEntry[] = []): ReadModelSync {
    return {
      workflowId: `update-request-${requestId}`,
      state: {
        requestId,
        customerId: 'acme',
        softwareName: 'Ledger',
        targetVersion: '4.2',
        category: 'maintenance',
        priority: 3,
        status: 'scheduling',
        currentStep: 'scheduling',
        pendingRoles: ['operator'],
        submittedAt: '2026-11-20T10:00:00Z',
        version,
        ...changes,
      },
      newEntries,
    };
  }

  function entry(requestId: string, seq: number, target?: string): TimelineEntry {
    return {
      key: `update-request-${requestId}#${seq}`,
      at: `2026-11-20T10:0${seq}:00Z`,
      step: 'scheduling',
      action: `action-${seq}`,
      actor: 'op-1',
      role: 'operator',
      target,
      evidence: { note: `n${seq}` },
    };
  }

  const row = (requestId: string) => db.dataSource.query('SELECT * FROM update_requests WHERE request_id = $1', [requestId]);
  const audit = (requestId: string) =>
    db.dataSource.query('SELECT event_key, action, evidence, occurred_at FROM audit_events WHERE request_id = $1 ORDER BY id', [requestId]);

  it('writes the row and the audit entries, and a retried sync adds nothing', async () => {
    const requestId = randomUUID();
    const first = sync(requestId, 1, { scheduledStart: '2026-12-01T08:00:00Z', scheduledEnd: '2026-12-01T10:00:00Z' },
      [entry(requestId, 1), entry(requestId, 2, 'app-01')]);

    await sut.syncReadModel(first);
    await sut.syncReadModel(first);

    const [stored] = await row(requestId);
    assert.equal(stored.workflow_id, `update-request-${requestId}`);
    assert.equal(stored.status, 'scheduling');
    assert.equal(stored.current_step, 'scheduling');
    assert.deepEqual(stored.scheduled_start, new Date('2026-12-01T08:00:00Z'));
    assert.equal(stored.next_deadline, null);
    assert.deepEqual(stored.pending_roles, ['operator']);
    assert.equal(stored.state_version, 1);
    assert.deepEqual(await audit(requestId), [
      { event_key: `update-request-${requestId}#1`, action: 'action-1', evidence: { note: 'n1' }, occurred_at: new Date('2026-11-20T10:01:00Z') },
      { event_key: `update-request-${requestId}#2`, action: 'action-2', evidence: { target: 'app-01', note: 'n2' }, occurred_at: new Date('2026-11-20T10:02:00Z') },
    ]);
  });

  it('never lets an older version overwrite a newer one, but still records its entries', async () => {
    const requestId = randomUUID();
    await sut.syncReadModel(sync(requestId, 1, {}, [entry(requestId, 1)]));
    await sut.syncReadModel(sync(requestId, 3, { status: 'pre-checks', currentStep: 'pre-checks', pendingRoles: ['customer'] }));

    await sut.syncReadModel(sync(requestId, 2, { status: 'waiting-for-slot', currentStep: 'waiting-for-slot' }, [entry(requestId, 2)]));

    const [stored] = await row(requestId);
    assert.equal(stored.status, 'pre-checks');
    assert.deepEqual(stored.pending_roles, ['customer']);
    assert.equal(stored.state_version, 3);
    assert.deepEqual((await audit(requestId)).map((e: { action: string }) => e.action), ['action-1', 'action-2']);
  });

  it('keeps the request the API stored at version 0 and records the outcome of a closed request', async () => {
    const requestId = randomUUID();
    const submitted = { requestId, note: 'the submitted request' };
    await db.dataSource.query(
      `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category, status, current_step,
         submitted_at, updated_at, state_version, request)
       VALUES ($1, $2, 'acme', 'Ledger', '4.2', 'maintenance', 'intake', 'intake', now(), now(), 0, $3)`,
      [requestId, `update-request-${requestId}`, JSON.stringify(submitted)]);

    await sut.syncReadModel(sync(requestId, 1, {}));
    await sut.syncReadModel(sync(requestId, 9, { status: 'cancelled', currentStep: 'cancelled', outcome: 'cancelled', pendingRoles: [] }));

    const [stored] = await row(requestId);
    assert.deepEqual([stored.status, stored.outcome, stored.state_version], ['cancelled', 'cancelled', 9]);
    assert.deepEqual(stored.request, submitted);
  });
});
