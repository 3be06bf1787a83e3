import { setHandler } from '@temporalio/workflow';
import { records } from '../activity-profiles';
import { refuseUnless, requireActor, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { PRE_CHECKS, recordPreCheckUpdate, type RecordPreCheck } from '../update-request.contract';

export function registerPreCheckHandlers(run: RequestRun): void {
  const validate = ({ actor, check, passed, notes, onFailure }: RecordPreCheck) => {
    requireActor(actor, ['operator'], run.request.customerId);
    refuseUnless(run.state.status === 'pre-checks', `pre-checks are not open (status ${run.state.status})`);
    refuseUnless(PRE_CHECKS.includes(check), `unknown pre-check; expected one of ${PRE_CHECKS.join(', ')}`);
    refuseUnless(!run.state.preChecks[check], `the ${check} pre-check is already recorded`);
    refuseUnless(typeof passed === 'boolean', 'passed must be true or false');
    requireText(notes, 'notes');
    refuseUnless(passed || onFailure === 'reschedule' || onFailure === 'cancel',
      'a failed pre-check must say what happens next: onFailure reschedule or cancel');
  };
  setHandler(recordPreCheckUpdate, ({ actor, check, passed, notes, onFailure }) => {
    run.state.preChecks[check] = { passed, notes, by: actor.id, at: new Date().toISOString() };
    run.record('pre-checks', passed ? `${check}-passed` : `${check}-failed`, actor, { notes, ...(onFailure && !passed ? { onFailure } : {}) });
    if (!passed && onFailure === 'cancel') {
      run.state.cancellation = { by: actor.id, role: actor.role, reason: `pre-check ${check} failed: ${notes}`, at: new Date().toISOString() };
    }
    return { status: run.state.status, version: run.state.version };
  }, { validator: validate });
}

/**
 * Step 3. The operator records each pre-check before the slot. A failure stops before anything is
 * changed: back to scheduling (the checks are then done again) or, by the operator's choice, cancel.
 */
export async function runPreChecks(run: RequestRun): Promise<'passed' | 'rescheduled'> {
  run.setStatus('pre-checks');
  const slot = run.state.slot!;
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
