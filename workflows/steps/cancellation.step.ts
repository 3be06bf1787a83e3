import { setHandler } from '@temporalio/workflow';
import { records } from '../activity-profiles';
import { requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { cancelRequestUpdate, type CancelRequest } from '../update-request.contract';
import { announceCancellation } from './announcements.step';
import { deleteSnapshots } from './snapshots.step';

/**
 * A cancel is accepted wherever the current step declares it can wind down (until installation
 * starts; after that only a rollback undoes the update). The run then leaves that step at its next
 * wait or between steps, and `windDownCancelled` runs.
 */
export function registerCancellationHandler(run: RequestRun): void {
  setHandler(cancelRequestUpdate, ({ actor, reason }) => run.act(() => {
    run.state.cancellation = { by: actor.id, role: actor.role, reason, at: new Date().toISOString() };
    run.record('cancellation', 'cancel-requested', actor, { reason });
  }), {
    validator: ({ actor, reason }: CancelRequest) => {
      run.requireDeclared('cancelRequest', actor);
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
