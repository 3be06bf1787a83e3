import { setHandler } from '@temporalio/workflow';
import { records } from '../activity-profiles';
import { refuseUnless, requireActor, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { cancelRequestUpdate, type CancelRequest, type UpdateStatus } from '../update-request.contract';
import { announceCancellation } from './announcements.step';
import { deleteSnapshots } from './snapshots.step';

/** Cancelling is possible until installation starts; after that only a rollback undoes the update. */
const CANCELLABLE: readonly UpdateStatus[] = [
  'intake', 'lead-time-review', 'scheduling', 'pre-checks', 'waiting-for-slot', 'snapshots', 'user-activity',
];

export function registerCancellationHandler(run: RequestRun): void {
  setHandler(cancelRequestUpdate, ({ actor, reason }) => {
    run.state.cancellation = { by: actor.id, role: actor.role, reason, at: new Date().toISOString() };
    run.record('cancellation', 'cancel-requested', actor, { reason });
    return { status: run.state.status, version: run.state.version };
  }, {
    validator: ({ actor, reason }: CancelRequest) => {
      requireActor(actor, ['customer', 'operator'], run.request.customerId);
      refuseUnless(!run.state.cancellation, 'the request is already being cancelled');
      refuseUnless(CANCELLABLE.includes(run.state.status),
        run.state.status === 'installation' || run.state.status === 'functional-testing'
          ? 'installation has started: the update can only be rolled back now'
          : `the request cannot be cancelled now (status ${run.state.status})`);
      requireText(reason, 'reason');
    },
  });
}

/** Frees the slot, deletes any snapshot already taken, and tells the customer (withdrawing the invitation). */
export async function windDownCancelled(run: RequestRun): Promise<void> {
  await records.releaseSlot({ requestId: run.request.requestId });
  await deleteSnapshots(run);
  announceCancellation(run);
}
