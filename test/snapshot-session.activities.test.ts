import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createPolicyActivities } from '../activities/policy.activities';
import { createSessionActivities } from '../activities/session.activities';
import { SimulatedSessionProvider } from '../activities/session-provider';
import { createSnapshotActivities } from '../activities/snapshot.activities';
import { SimulatedSnapshotProvider } from '../activities/snapshot-provider';
import { loadConfig } from '../platform/config';

function nonRetryable(type: string) {
  return (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable && err.type === type;
}

describe('snapshot activities with the simulated provider', () => {
  const sut = createSnapshotActivities({ snapshotProvider: new SimulatedSnapshotProvider() });
  const target = () => ({ requestId: `req-${randomUUID()}`, target: 'app-01' });

  it('returns the same id when a take is retried, and different ids per target', async () => {
    const vm = target();
    const first = await sut.takeSnapshot(vm);
    assert.deepEqual(await sut.takeSnapshot(vm), first);
    assert.notEqual((await sut.takeSnapshot({ ...vm, target: 'app-02' })).snapshotId, first.snapshotId);
  });

  it('restores, then deletes idempotently, and will not restore a deleted snapshot', async () => {
    const vm = target();
    const ref = { ...vm, ...(await sut.takeSnapshot(vm)) };
    await sut.restoreSnapshot(ref);
    await sut.deleteSnapshot(ref);
    await sut.deleteSnapshot(ref);
    await assert.rejects(sut.restoreSnapshot(ref), nonRetryable('SnapshotDeleted'));
  });

  it('refuses unknown snapshot ids, naming them', async () => {
    const ref = { ...target(), snapshotId: 'snap-typo' };
    await assert.rejects(sut.restoreSnapshot(ref), (err: unknown) => nonRetryable('UnknownSnapshot')(err) && /snap-typo/.test(String(err)));
    await assert.rejects(sut.deleteSnapshot(ref), nonRetryable('UnknownSnapshot'));
  });

  it('fails non-retryably when no provider is configured', async () => {
    const unconfigured = createSnapshotActivities({});
    await assert.rejects(unconfigured.takeSnapshot(target()), (err: unknown) =>
      nonRetryable('NoSnapshotProvider')(err) && (err as Error).message === 'no snapshot provider configured');
  });
});

describe('countActiveUsers', () => {
  it('answers from a scripted sequence, repeating the last count', async () => {
    const sut = createSessionActivities({ sessionProvider: SimulatedSessionProvider.sequence([3, 1, 0]) });
    const input = { requestId: 'r', targets: ['app-01'] };
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push(await sut.countActiveUsers(input));
    assert.deepEqual(counts, [3, 1, 0, 0]);
  });

  it('passes the targets to a scripted function', async () => {
    const sut = createSessionActivities({ sessionProvider: new SimulatedSessionProvider((targets) => targets.length * 2) });
    assert.equal(await sut.countActiveUsers({ requestId: 'r', targets: ['a', 'b'] }), 4);
  });

  it('fails non-retryably when no provider is configured', async () => {
    await assert.rejects(createSessionActivities({}).countActiveUsers({ requestId: 'r', targets: ['a'] }), nonRetryable('NoSessionProvider'));
  });
});

describe('loadPolicy', () => {
  const { policy } = loadConfig({ LEAD_TIME_DAYS: '21' });

  it('returns the configured numbers and says which providers exist', async () => {
    const withProviders = createPolicyActivities({ policy, snapshotProvider: new SimulatedSnapshotProvider(), sessionProvider: new SimulatedSessionProvider() });
    assert.deepEqual(await withProviders.loadPolicy(), { ...policy, leadTimeDays: 21, snapshotProvider: true, sessionProvider: true, hostChecks: false });
    const checking = createPolicyActivities({ policy, sessionProvider: new SimulatedSessionProvider(() => 0, true) });
    assert.equal((await checking.loadPolicy()).hostChecks, true, 'a provider that checks hosts itself says so');

    const byHand = await createPolicyActivities({ policy }).loadPolicy();
    assert.equal(byHand.snapshotProvider, false);
    assert.equal(byHand.sessionProvider, false);
    assert.equal(byHand.hostChecks, false);
  });
});
