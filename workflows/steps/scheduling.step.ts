import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { records } from '../activity-profiles';
import { earliestSlotStart } from '../lead-time-policy';
import { refuseUnless, requireActor, requireInstant, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import {
  acceptSlotUpdate,
  proposeSlotUpdate,
  requestAnotherSlotUpdate,
  type AcceptSlot,
  type ProposeSlot,
  type RequestAnotherSlot,
  type UpdateStatus,
} from '../update-request.contract';
import { announceSlot } from './announcements.step';
import { touchedTargets } from './targets';

const MINUTE_MS = 60_000;
const MAX_SLOT_MINUTES = 7 * 24 * 60;
/** Before the slot starts, either side may move it until the cut-off. */
const RESCHEDULABLE: readonly UpdateStatus[] = ['pre-checks', 'waiting-for-slot'];

export function registerSchedulingHandlers(run: RequestRun): void {
  let assessing = false;
  const receipt = () => ({ status: run.state.status, version: run.state.version });

  /** True while the accepted slot may still be moved: before the cut-off ahead of its start. */
  const beforeCutoff = () => {
    const slot = run.state.slot;
    return !!slot && Date.now() < Date.parse(slot.start) - run.policy.rescheduleCutoffHours * 60 * MINUTE_MS;
  };

  const validateProposal = ({ actor, start, durationMinutes, engineer }: ProposeSlot) => {
    requireActor(actor, ['operator'], run.request.customerId);
    const { status } = run.state;
    refuseUnless(status === 'scheduling' || RESCHEDULABLE.includes(status), `slots cannot be proposed now (status ${status})`);
    refuseUnless(status === 'scheduling' || beforeCutoff(),
      `the slot can no longer be moved: less than ${run.policy.rescheduleCutoffHours} h before its start`);
    refuseUnless(!assessing, 'another slot proposal is being checked; try again');
    const startMs = requireInstant(start, 'start');
    refuseUnless(Number.isInteger(durationMinutes) && durationMinutes > 0, 'the slot must end after it starts: duration must be a positive number of minutes');
    refuseUnless(durationMinutes <= MAX_SLOT_MINUTES, `a slot may last at most ${MAX_SLOT_MINUTES} minutes`);
    requireText(engineer, 'engineer', 200);
    const earliest = earliestSlotStart(run.state.leadTime!, new Date());
    refuseUnless(startMs >= earliest.getTime(),
      run.state.leadTime!.decision === undefined
        ? `the slot violates the ${run.policy.leadTimeDays}-day lead time: earliest start is ${earliest.toISOString()}`
        : 'the slot must start in the future');
  };

  setHandler(proposeSlotUpdate, async ({ actor, start, durationMinutes, engineer }) => {
    const startIso = new Date(start).toISOString();
    const end = new Date(Date.parse(start) + durationMinutes * MINUTE_MS).toISOString();
    assessing = true;
    let assessment;
    try {
      assessment = await records.assessSlot({
        requestId: run.request.requestId,
        targets: touchedTargets(run.request).map((t) => t.name),
        start: startIso,
        end,
      });
    } finally {
      assessing = false;
    }
    if (assessment.conflicts.length > 0) {
      const clash = assessment.conflicts.map((c) => `${c.target} is reserved by request ${c.requestId} from ${c.start} to ${c.end}`);
      run.record('scheduling', 'slot-refused', actor, { start: startIso, end, conflicts: clash });
      throw ApplicationFailure.nonRetryable(`the slot overlaps another update on the same target: ${clash.join('; ')}`, 'SlotConflict');
    }
    const rescheduled = run.state.slot?.status === 'accepted';
    run.state.slot = {
      start: startIso,
      end,
      engineer,
      withinSupportHours: assessment.withinSupportHours,
      surcharge: !assessment.withinSupportHours,
      status: 'proposed',
      proposedAt: new Date().toISOString(),
      proposedBy: actor.id,
    };
    run.record('scheduling', rescheduled ? 'slot-rescheduled' : 'slot-proposed', actor, {
      start: startIso, end, engineer, withinSupportHours: assessment.withinSupportHours,
    });
    run.setScheduledStart(undefined);
    run.notify('slot-proposed', 'customer', startIso);
    return receipt();
  }, { validator: validateProposal });

  const validateAcceptance = ({ actor, writtenConfirmation }: AcceptSlot) => {
    requireActor(actor, ['customer'], run.request.customerId);
    const slot = run.state.slot;
    refuseUnless(run.state.status === 'scheduling' && slot?.status === 'proposed', 'no proposed slot is waiting for acceptance');
    if (!slot.withinSupportHours) {
      refuseUnless(writtenConfirmation, 'the slot is outside support hours: written confirmation is required (surcharged)');
      requireText(writtenConfirmation.name, 'writtenConfirmation.name', 200);
      requireText(writtenConfirmation.statement, 'writtenConfirmation.statement');
      requireInstant(writtenConfirmation.confirmedAt, 'writtenConfirmation.confirmedAt');
    }
  };

  setHandler(acceptSlotUpdate, ({ actor, writtenConfirmation }) => {
    const slot = run.state.slot!;
    slot.status = 'accepted';
    slot.acceptedAt = new Date().toISOString();
    slot.acceptedBy = actor.id;
    if (!slot.withinSupportHours && writtenConfirmation) slot.writtenConfirmation = writtenConfirmation;
    run.record('scheduling', 'slot-accepted', actor, {
      start: slot.start,
      surcharge: slot.surcharge,
      ...(slot.writtenConfirmation ? { confirmedBy: slot.writtenConfirmation.name, statement: slot.writtenConfirmation.statement } : {}),
    });
    run.setScheduledStart(slot.start);
    return receipt();
  }, { validator: validateAcceptance });

  const validateMove = ({ actor, reason, preferredStart }: RequestAnotherSlot) => {
    requireActor(actor, ['customer'], run.request.customerId);
    const { status, slot } = run.state;
    const proposed = status === 'scheduling' && slot?.status === 'proposed';
    const movable = RESCHEDULABLE.includes(status) && slot?.status === 'accepted';
    refuseUnless(proposed || movable, `there is no slot to move (status ${status})`);
    refuseUnless(proposed || beforeCutoff(), `the slot can no longer be moved: less than ${run.policy.rescheduleCutoffHours} h before its start`);
    requireText(reason, 'reason');
    if (preferredStart !== undefined) requireInstant(preferredStart, 'preferredStart');
  };

  setHandler(requestAnotherSlotUpdate, async ({ actor, reason, preferredStart }) => {
    run.state.slot = undefined;
    run.record('scheduling', 'another-slot-requested', actor, { reason, ...(preferredStart ? { preferredStart } : {}) });
    run.setScheduledStart(undefined);
    await records.releaseSlot({ requestId: run.request.requestId });
    return receipt();
  }, { validator: validateMove });
}

/**
 * Step 2. An operator proposes slots until the customer accepts one (in writing when off-hours);
 * the agreed slot is then announced and its reminders armed, as the category's policy says.
 */
export async function scheduleSlot(run: RequestRun): Promise<void> {
  run.setStatus('scheduling');
  await run.waitUntil(() => run.state.slot?.status === 'accepted');
  announceSlot(run);
}

/** Step 4. Sleeps until the slot starts; a reschedule wakes it and sends the request back. */
export async function waitForSlot(run: RequestRun): Promise<'started' | 'rescheduled'> {
  run.setStatus('waiting-for-slot');
  const slot = run.state.slot!;
  const moved = await run.waitUntil(() => run.state.slot !== slot || slot.status !== 'accepted', Date.parse(slot.start) - Date.now());
  if (moved) return 'rescheduled';
  run.record('slot-wait', 'slot-started', 'system', { start: slot.start, engineer: slot.engineer });
  return 'started';
}
