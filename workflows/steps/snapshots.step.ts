import { setHandler } from '@temporalio/workflow';
import { hypervisor } from '../activity-profiles';
import { refuseUnless, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import type { Doer } from '../timeline';
import {
  confirmSnapshotsDeletedUpdate,
  confirmSnapshotsRestoredUpdate,
  recordSnapshotsUpdate,
  type ConfirmSnapshots,
  type RecordSnapshots,
  type SnapshotRecord,
  type UpdateName,
} from '../update-request.contract';
import type { WaitDeclaration } from '../waits';
import { touchedTargets } from './targets';

/**
 * A snapshot step's wait: done by the provider (nothing to accept; a cancel may still be) or by an
 * operator who confirms it. Only taking snapshots can be cancelled: restoring and deleting are
 * what a rollback and a wind-down need.
 */
function snapshotWork(run: RequestRun, update: UpdateName, description: string, cancellable: boolean): WaitDeclaration {
  return {
    accepts: () => (run.policy.snapshotProvider ? [] : [{ update, roles: ['operator'], description }]),
    cancellation: cancellable ? { accepted: true } : { accepted: false, refusal: 'the request can no longer be cancelled (snapshots are being restored or deleted)' },
  };
}

export function registerSnapshotHandlers(run: RequestRun): void {
  setHandler(recordSnapshotsUpdate, ({ actor, snapshots }) => run.act(() => {
    for (const { target, snapshotId } of snapshots) {
      run.state.snapshots.push({ target, snapshotId, takenAt: new Date().toISOString(), takenBy: actor.id, status: 'present' });
    }
    run.record('snapshots', 'snapshots-recorded', actor, { snapshots: snapshots.map((s) => `${s.target}=${s.snapshotId}`) });
  }), {
    validator: ({ actor, snapshots }: RecordSnapshots) => {
      run.requireDeclared('recordSnapshots', actor);
      refuseUnless(Array.isArray(snapshots) && snapshots.every((s) => typeof s === 'object' && s !== null),
        'snapshots must be a list of { target, snapshotId }');
      const wanted = touchedTargets(run.request).map((t) => t.name).sort();
      const given = snapshots.map((s) => s?.target).sort();
      snapshots.forEach((s) => requireText(s?.snapshotId, `snapshotId of ${s?.target}`, 500));
      refuseUnless(JSON.stringify(given) === JSON.stringify(wanted), `record exactly one snapshot for each of: ${wanted.join(', ')}`);
    },
  });

  const confirmation = (update: UpdateName, pick: (s: SnapshotRecord) => boolean) =>
    ({ actor, snapshotIds, notes }: ConfirmSnapshots) => {
      run.requireDeclared(update, actor);
      requireText(notes, 'notes');
      const expected = run.state.snapshots.filter(pick).map((s) => s.snapshotId).sort();
      refuseUnless(Array.isArray(snapshotIds) && JSON.stringify([...snapshotIds].sort()) === JSON.stringify(expected),
        `confirm exactly these snapshots: ${expected.join(', ')}`);
    };

  setHandler(confirmSnapshotsRestoredUpdate, ({ actor, notes }) => run.act(() => {
    markSnapshots(run, 'restored', 'present', actor, notes);
  }), { validator: confirmation('confirmSnapshotsRestored', (s) => s.status === 'present') });

  setHandler(confirmSnapshotsDeletedUpdate, ({ actor, notes }) => run.act(() => {
    markSnapshots(run, 'deleted', 'any', actor, notes);
  }), { validator: confirmation('confirmSnapshotsDeleted', (s) => s.status !== 'deleted') });
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
  run.enter('snapshots', snapshotWork(run, 'recordSnapshots', 'take the snapshots and record their ids', true));
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
    // A cancel accepted meanwhile stops here: no further snapshot is taken, and the wind-down deletes these.
    run.honourCancellation();
  }
}

/** Rollback: every snapshot taken is restored (by the provider, or confirmed by the operator). */
export async function restoreSnapshots(run: RequestRun): Promise<void> {
  run.enter('rollback', snapshotWork(run, 'confirmSnapshotsRestored', 'restore every snapshot and confirm', false));
  if (!run.policy.snapshotProvider) {
    await run.waitUntil(() => !run.state.snapshots.some((s) => s.status === 'present'));
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
  run.enter('snapshot-deletion', snapshotWork(run, 'confirmSnapshotsDeleted', 'delete every snapshot and confirm', false));
  if (!run.policy.snapshotProvider) {
    await run.waitUntil(() => run.state.snapshots.every((s) => s.status === 'deleted'));
  } else {
    for (const s of run.state.snapshots.filter((x) => x.status !== 'deleted')) {
      await hypervisor.deleteSnapshot({ requestId: run.request.requestId, target: s.target, snapshotId: s.snapshotId });
    }
    markSnapshots(run, 'deleted', 'any', 'system', 'deleted by the snapshot provider');
  }
  run.notify('snapshots-deleted', 'customer', 'deletion');
}
