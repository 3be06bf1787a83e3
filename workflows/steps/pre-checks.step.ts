import { setHandler } from '@temporalio/workflow';
import { records } from '../activity-profiles';
import { refuseUnless, requireChoice, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { PRE_CHECKS, recordPreCheckUpdate, type RecordPreCheck, type SlotState } from '../update-request.contract';
import type { WaitDeclaration } from '../waits';
import { slotMoves } from './scheduling.step';

/** Step 3's wait: each check still open is due before the slot starts; the slot may still move. */
function checking(run: RequestRun, slot: SlotState): WaitDeclaration {
  return {
    accepts: (now) => [
      ...PRE_CHECKS.filter((check) => !run.state.preChecks[check]).map((check) => ({
        update: 'recordPreCheck' as const,
        roles: ['operator' as const],
        check,
        deadline: slot.start,
        description: `record the ${check} pre-check`,
      })),
      ...slotMoves(run, now),
    ],
    cancellation: { accepted: true },
  };
}

export function registerPreCheckHandlers(run: RequestRun): void {
  const validate = ({ actor, check, passed, notes, onFailure }: RecordPreCheck) => {
    const open = run.requireDeclared('recordPreCheck', actor);
    requireChoice(check, PRE_CHECKS, 'check');
    refuseUnless(open.some((a) => a.check === check), `the ${check} pre-check is already recorded`);
    refuseUnless(typeof passed === 'boolean', 'passed must be true or false');
    requireText(notes, 'notes');
    refuseUnless(passed || onFailure === 'reschedule' || onFailure === 'cancel',
      'a failed pre-check must say what happens next: onFailure reschedule or cancel');
  };
  setHandler(recordPreCheckUpdate, ({ actor, check, passed, notes, onFailure }) => run.act(() => {
    run.state.preChecks[check] = { passed, notes, by: actor.id, at: new Date().toISOString() };
    run.record('pre-checks', passed ? `${check}-passed` : `${check}-failed`, actor, { notes, ...(onFailure && !passed ? { onFailure } : {}) });
    if (!passed && onFailure === 'cancel') {
      run.state.cancellation = { by: actor.id, role: actor.role, reason: `pre-check ${check} failed: ${notes}`, at: new Date().toISOString() };
    }
  }), { validator: validate });
}

/**
 * Step 3. The operator records each pre-check before the slot. A failure stops before anything is
 * changed: back to scheduling (the checks are then done again) or, by the operator's choice, cancel.
 */
export async function runPreChecks(run: RequestRun): Promise<'passed' | 'rescheduled'> {
  const slot = run.state.slot!;
  run.enter('pre-checks', checking(run, slot));
  const results = () => PRE_CHECKS.map((c) => run.state.preChecks[c]);
  const settled = () => run.state.slot !== slot || slot.status !== 'accepted'
    || results().some((r) => r && !r.passed) || results().every((r) => r?.passed);
  // The checks are due before the slot starts; still open then, operations is alerted once.
  if (!(await run.waitUntil(settled, Date.parse(slot.start) - Date.now()))) {
    run.record('pre-checks', 'overdue', 'system', { deadline: slot.start });
    run.notify('step-overdue', 'operations', `pre-checks-${slot.start}`, { details: { step: 'pre-checks', deadline: slot.start } });
    await run.waitUntil(settled);
  }
  if (run.state.slot !== slot || slot.status !== 'accepted') return 'rescheduled';
  if (results().some((r) => r && !r.passed)) {
    await releaseSlotForRework(run, 'pre-check failed');
    return 'rescheduled';
  }
  if (Date.now() >= Date.parse(slot.start)) {
    await releaseSlotForRework(run, 'slot start passed before the pre-checks were complete');
    return 'rescheduled';
  }
  return 'passed';
}

async function releaseSlotForRework(run: RequestRun, reason: string): Promise<void> {
  run.state.slot = undefined;
  run.state.preChecks = {};
  run.record('pre-checks', 'returned-to-scheduling', 'system', { reason });
  run.setScheduledStart(undefined);
  await records.releaseSlot({ requestId: run.request.requestId });
}
