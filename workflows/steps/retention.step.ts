import { setHandler } from '@temporalio/workflow';
import { refuseUnless, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { extendRetentionUpdate, type ExtendRetention, type RetentionState } from '../update-request.contract';
import type { WaitDeclaration } from '../waits';
import { deleteSnapshots } from './snapshots.step';

const DAY_MS = 86_400_000;

/** Step 10's wait: the snapshots are kept until `deleteAfter`, which an operator may extend once. */
function retaining(retention: RetentionState): WaitDeclaration {
  return {
    accepts: () => [{
      update: 'extendRetention',
      roles: ['operator'],
      optional: true,
      deadline: retention.deleteAfter,
      description: 'keep the snapshots longer (once, with a reason)',
      ...(retention.extension ? { refusal: 'retention may be extended only once' } : {}),
    }],
    cancellation: { accepted: false, refusal: 'the update is done: nothing is left to cancel' },
  };
}

export function registerRetentionHandlers(run: RequestRun): void {
  setHandler(extendRetentionUpdate, ({ actor, days, reason }) => run.act(() => {
    const retention = run.state.retention!;
    retention.extension = { days, reason, by: actor.id };
    retention.deleteAfter = new Date(Date.parse(retention.deleteAfter) + days * DAY_MS).toISOString();
    run.record('snapshot-retention', 'retention-extended', actor, { days, reason, deleteAfter: retention.deleteAfter });
  }), {
    validator: ({ actor, days, reason }: ExtendRetention) => {
      run.requireDeclared('extendRetention', actor);
      const max = run.policy.maxRetentionExtensionDays;
      refuseUnless(Number.isInteger(days) && days >= 1 && days <= max, `days must be a whole number from 1 to ${max}`);
      requireText(reason, 'reason');
    },
  });
}

/** Step 10. Snapshots are kept for the retention period (extendable once), then deleted. */
export async function retainThenDeleteSnapshots(run: RequestRun): Promise<void> {
  if (run.state.snapshots.every((s) => s.status === 'deleted')) return;
  // The period runs from the sign-off itself (or from now, after a rollback or an abort).
  const from = run.state.signOff?.signedOffAt ? Date.parse(run.state.signOff.signedOffAt) : Date.now();
  const retention: RetentionState = { deleteAfter: new Date(from + run.policy.snapshotRetentionDays * DAY_MS).toISOString() };
  run.state.retention = retention;
  run.enter('snapshot-retention', retaining(retention));
  run.record('snapshot-retention', 'retention-started', 'system', { deleteAfter: retention.deleteAfter });
  while (Date.now() < Date.parse(retention.deleteAfter)) {
    const deadline = retention.deleteAfter;
    await run.waitUntil(() => retention.deleteAfter !== deadline, Date.parse(deadline) - Date.now());
  }
  await deleteSnapshots(run);
}
