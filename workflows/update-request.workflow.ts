import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import { records } from './activity-profiles';
import { RequestCancelled, RequestRun } from './request-run';
import { confirmCompletion } from './steps/announcements.step';
import { registerCancellationHandler, windDownCancelled } from './steps/cancellation.step';
import { registerDowngradeHandlers, reviewDowngrade } from './steps/downgrade.step';
import { installOnTargets } from './steps/installation.step';
import { receiveRequest } from './steps/intake.step';
import { registerLeadTimeHandlers, reviewLeadTime } from './steps/lead-time.step';
import { registerPreCheckHandlers, runPreChecks } from './steps/pre-checks.step';
import { registerRetentionHandlers, retainThenDeleteSnapshots } from './steps/retention.step';
import { registerSchedulingHandlers, scheduleSlot, waitForSlot } from './steps/scheduling.step';
import { awaitSignOff, recordInstalledVersion, registerSignOffHandlers } from './steps/sign-off.step';
import { deleteSnapshots, registerSnapshotHandlers, restoreSnapshots, takeSnapshots } from './steps/snapshots.step';
import { touchedTargets } from './steps/targets';
import { ensureNoActiveUsers, registerUserActivityHandlers } from './steps/user-activity.step';
import {
  getStateQuery,
  type Outcome,
  type UpdateRequest,
  type UpdateRequestResult,
  type UpdateStatus,
} from './update-request.contract';

const FINAL_STATUS: Record<Outcome, UpdateStatus> = {
  'signed-off': 'completed',
  'rolled-back': 'rolled-back',
  aborted: 'aborted',
  cancelled: 'cancelled',
  declined: 'declined',
};

/**
 * One customer's software-update request, from intake to the deletion of its snapshots. It runs
 * for weeks; every human step arrives as a validated Update, every wait is a durable timer.
 */
export async function managedUpdateWorkflow(request: UpdateRequest): Promise<UpdateRequestResult> {
  const run = new RequestRun(request);
  setHandler(getStateQuery, () => ({ ...run.state, pendingActions: run.pendingActions() }));
  registerLeadTimeHandlers(run);
  registerDowngradeHandlers(run);
  registerSchedulingHandlers(run);
  registerPreCheckHandlers(run);
  registerSnapshotHandlers(run);
  registerUserActivityHandlers(run);
  registerSignOffHandlers(run);
  registerRetentionHandlers(run);
  registerCancellationHandler(run);

  try {
    await receiveRequest(run);
    if ((await reviewLeadTime(run)) === 'declined') return await finish(run, 'declined');
    if ((await reviewDowngrade(run)) === 'declined') return await finish(run, 'declined');
    await prepareUntilSlotStarts(run);
    // A cancel accepted while the last automated step ran is honoured before anything is installed.
    run.honourCancellation();
  } catch (err) {
    if (!(err instanceof RequestCancelled)) throw err;
    await windDownCancelled(run);
    return finish(run, 'cancelled');
  }
  const outcome = await installUntilSignedOff(run);
  if (outcome === 'signed-off') {
    await recordInstalledVersion(run);
    confirmCompletion(run);
  }
  await retainThenDeleteSnapshots(run);
  return finish(run, outcome);
}

/**
 * Steps 2–6, repeated whenever the slot moves: schedule, pre-check, wait for the slot, snapshot,
 * make sure nobody is working. A postponement deletes the fresh snapshots and schedules anew.
 */
async function prepareUntilSlotStarts(run: RequestRun): Promise<void> {
  for (;;) {
    if (run.state.slot?.status !== 'accepted') await scheduleSlot(run);
    if ((await runPreChecks(run)) === 'rescheduled' || (await waitForSlot(run)) === 'rescheduled') {
      forgetPreChecks(run);
      continue;
    }
    await takeSnapshots(run);
    if ((await ensureNoActiveUsers(run)) === 'clear') return;
    await postpone(run);
  }
}

/**
 * Pre-checks are evidence about the systems as they were when checked (their requirements, the
 * systems around them, prerequisites), so every new slot gets fresh ones. Runs started before this
 * rule kept the results of an earlier slot.
 */
function forgetPreChecks(run: RequestRun): void {
  if (Object.keys(run.state.preChecks).length === 0 || !patched('pre-checks-per-slot')) return;
  run.state.preChecks = {};
  run.record('pre-checks', 'reset-for-new-slot', 'system');
}

/**
 * Users stayed active and the operator postponed: the fresh snapshots are deleted, the slot and its
 * reservation are given up, and the request is scheduled anew (pre-checks included).
 */
async function postpone(run: RequestRun): Promise<void> {
  await deleteSnapshots(run);
  run.state.slot = undefined;
  run.state.userActivity = undefined;
  run.setScheduledStart(undefined);
  if (patched('postponement-releases-slot')) {
    await records.releaseSlot({ requestId: run.request.requestId });
    forgetPreChecks(run);
  }
}

/** Steps 7–9: install, hand over for functional tests, fix named targets or roll back on failure. */
async function installUntilSignedOff(run: RequestRun): Promise<Outcome> {
  let targets = touchedTargets(run.request);
  for (let round = 1; ; round++) {
    const installed = await installOnTargets(run, targets, round);
    if (installed.outcome === 'abort') {
      run.record('installation', 'aborted', 'system', { target: installed.target, reason: installed.reason });
      return 'aborted';
    }
    const verdict = installed.outcome === 'rollback' ? { kind: 'rollback' as const } : await awaitSignOff(run);
    if (verdict.kind === 'signed-off') return 'signed-off';
    if (verdict.kind === 'rollback') {
      await restoreSnapshots(run);
      run.notify('rolled-back', 'customer', 'rollback');
      return 'rolled-back';
    }
    const again = new Set(verdict.targets);
    targets = touchedTargets(run.request).filter((t) => again.has(t.name));
  }
}

async function finish(run: RequestRun, outcome: Outcome): Promise<UpdateRequestResult> {
  run.closing(FINAL_STATUS[outcome]);
  await run.deliveriesSettled();
  await condition(allHandlersFinished);
  run.state.outcome = outcome;
  run.closed();
  run.record('intake', `closed-${outcome}`, 'system');
  await run.publish();
  return { requestId: run.request.requestId, outcome, finishedAt: new Date().toISOString(), timeline: run.timeline.entries };
}
