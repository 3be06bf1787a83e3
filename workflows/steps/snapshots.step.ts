import { setHandler } from '@temporalio/workflow';
import { hypervisor } from '../activity-profiles';
import { refuseUnless, requireActor, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import type { Doer } from '../timeline';
import {
  confirmSnapshotsDeletedUpdate,
  confirmSnapshotsRestoredUpdate,
  recordSnapshotsUpdate,
  type ConfirmSnapshots,
  type RecordSnapshots,
  type SnapshotRecord,
  type UpdateStatus,
} from '../update-request.contract';
import { touchedTargets } from './targets';

export function registerSnapshotHandlers(run: RequestRun): void {
  const receipt = () => ({ status: run.state.status, version: run.state.version });
  const requireManual = (status: UpdateStatus, what: string) => {
    refuseUnless(run.state.status === status, `${what} is not expected now (status ${run.state.status})`);
    refuseUnless(!run.policy.snapshotProvider, `the snapshot provider does this; ${what} by hand is not expected`);
  };

  setHandler(recordSnapshotsUpdate, ({ actor, snapshots }) => {
    for (const { target, snapshotId } of snapshots) {
      run.state.snapshots.push({ target, snapshotId, takenAt: new Date().toISOString(), takenBy: actor.id, status: 'present' });
    }
    run.record('snapshots', 'snapshots-recorded', actor, { snapshots: snapshots.map((s) => `${s.target}=${s.snapshotId}`) });
    return receipt();
  }, {
    validator: ({ actor, snapshots }: RecordSnapshots) => {
      requireActor(actor, ['operator'], run.request.customerId);
      requireManual('snapshots', 'recording snapshots');
      refuseUnless(Array.isArray(snapshots), 'snapshots must be a list of { target, snapshotId }');
      const wanted = touchedTargets(run.request).map((t) => t.name).sort();
      const given = snapshots.map((s) => s?.target).sort();
      snapshots.forEach((s) => requireText(s?.snapshotId, `snapshotId of ${s?.target}`, 500));
      refuseUnless(JSON.stringify(given) === JSON.stringify(wanted), `record exactly one snapshot for each of: ${wanted.join(', ')}`);
    },
  });

  const confirmation = (status: UpdateStatus, what: string, pick: (s: SnapshotRecord) => boolean) =>
    ({ actor, snapshotIds, notes }: ConfirmSnapshots) => {
      requireActor(actor, ['operator'], run.request.customerId);
      requireManual(status, what);
      requireText(notes, 'notes');
      const expected = run.state.snapshots.filter(pick).map((s) => s.snapshotId).sort();
      refuseUnless(Array.isArray(snapshotIds) && JSON.stringify([...snapshotIds].sort()) === JSON.stringify(expected),
        `confirm exactly these snapshots: ${expected.join(', ')}`);
    };

  setHandler(confirmSnapshotsRestoredUpdate, ({ actor, notes }) => {
    markSnapshots(run, 'restored', 'present', actor, notes);
    return receipt();
  }, { validator: confirmation('rollback', 'confirming restored snapshots', (s) => s.status === 'present') });

  setHandler(confirmSnapshotsDeletedUpdate, ({ actor, notes }) => {
    markSnapshots(run, 'deleted', 'any', actor, notes);
    return receipt();
  }, { validator: confirmation('snapshot-deletion', 'confirming deleted snapshots', (s) => s.status !== 'deleted') });
}

function markSnapshots(run: RequestRun, to: 'restored' | 'deleted', from: 'present' | 'any', by: Doer, notes: string): void {
  const at = new Date().toISOString();
  const affected = run.state.snapshots.filter((s) => s.status !== 'deleted' && (from === 'any' || s.status === from));
  for (const s of affected) {
    s.status = to;
    if (to === 'restored') s.restoredAt = at;
    else s.deletedAt = at;
  }
  run.record(to === 'restored' ? 'rollback' : 'snapshot-deletion', `snapshots-${to}`, by, { snapshotIds: affected.map((s) => s.snapshotId), notes });
}

/** Step 5. A snapshot of every touched VM, by the provider when configured, else by the operator. */
export async function takeSnapshots(run: RequestRun): Promise<void> {
  run.setStatus('snapshots');
  const targets = touchedTargets(run.request);
  if (!run.policy.snapshotProvider) {
    await run.waitUntil(() => run.state.snapshots.some((s) => s.status === 'present'));
    return;
  }
  for (const target of targets) {
    const { snapshotId } = await hypervisor.takeSnapshot({ requestId: run.request.requestId, target: target.name });
    run.state.snapshots.push({ target: target.name, snapshotId, takenAt: new Date().toISOString(), takenBy: 'system', status: 'present' });
    run.record('snapshots', 'snapshot-taken', 'system', { snapshotId }, target.name);
    await run.publish();
  }
}

/** Rollback: every snapshot taken is restored (by the provider, or confirmed by the operator). */
export async function restoreSnapshots(run: RequestRun): Promise<void> {
  run.setStatus('rollback');
  if (!run.policy.snapshotProvider) {
    await run.waitUntil(() => !run.state.snapshots.some((s) => s.status === 'present'), undefined, false);
    return;
  }
  for (const s of run.state.snapshots.filter((x) => x.status === 'present')) {
    await hypervisor.restoreSnapshot({ requestId: run.request.requestId, target: s.target, snapshotId: s.snapshotId });
  }
  markSnapshots(run, 'restored', 'present', 'system', 'restored by the snapshot provider');
}

/** Deletes every snapshot still held (after retention, or at once when the request is cancelled). */
export async function deleteSnapshots(run: RequestRun): Promise<void> {
  if (!run.state.snapshots.some((s) => s.status !== 'deleted')) return;
  run.setStatus('snapshot-deletion');
  if (!run.policy.snapshotProvider) {
    await run.waitUntil(() => run.state.snapshots.every((s) => s.status === 'deleted'), undefined, false);
  } else {
    for (const s of run.state.snapshots.filter((x) => x.status !== 'deleted')) {
      await hypervisor.deleteSnapshot({ requestId: run.request.requestId, target: s.target, snapshotId: s.snapshotId });
    }
    markSnapshots(run, 'deleted', 'any', 'system', 'deleted by the snapshot provider');
  }
  run.notify('snapshots-deleted', 'customer', 'deletion');
}
