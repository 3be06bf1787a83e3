import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { records } from '../activity-profiles';
import { earliestSlotStart } from '../lead-time-policy';
import { parseInstant } from '../instant';
import { refuseUnless, requireInstant, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import {
  acceptSlotUpdate,
  proposeSlotUpdate,
  requestAnotherSlotUpdate,
  type AcceptSlot,
  type ProposeSlot,
  type RequestAnotherSlot,
} from '../update-request.contract';
import type { DeclaredAction, WaitDeclaration } from '../waits';
import { announceSlot } from './announcements.step';
import { awaitOperators, operatorResponseHours } from './operator-response';
import { touchedTargets } from './targets';

const MINUTE_MS = 60_000;
const MAX_SLOT_MINUTES = 7 * 24 * 60;

/**
 * Moving an accepted slot: either side may, until the cut-off before it starts. Declared by every
 * step between an agreed slot and its start.
 */
export function slotMoves(run: RequestRun, now: number): DeclaredAction[] {
  const slot = run.state.slot;
  if (slot?.status !== 'accepted') return [];
  const cutoff = run.policy.rescheduleCutoffHours;
  const until = new Date(Date.parse(slot.start) - cutoff * 60 * MINUTE_MS).toISOString();
  const closed = now < Date.parse(until) ? {} : { refusal: `the slot can no longer be moved: less than ${cutoff} h before its start` };
  return [
    { update: 'proposeSlot', roles: ['operator'], optional: true, deadline: until, description: 'move the agreed slot (propose another)', ...closed },
    { update: 'requestAnotherSlot', roles: ['customer'], optional: true, deadline: until, description: 'ask for another slot', ...closed },
  ];
}

/** Step 2's wait: an operator proposes, the customer accepts or asks for another. */
function agreeingOnSlot(run: RequestRun): WaitDeclaration {
  return {
    accepts: () => {
      const slot = run.state.slot;
      if (slot?.status === 'proposed') {
        return [
          { update: 'acceptSlot', roles: ['customer'], description: slot.withinSupportHours
            ? 'accept the proposed slot or ask for another'
            : 'accept the off-hours slot with written confirmation (surcharged), or ask for another' },
          { update: 'requestAnotherSlot', roles: ['customer'], description: 'ask for another slot' },
        ];
      }
      return [{
        update: 'proposeSlot', roles: ['operator'], description: 'propose a slot (start, duration, engineer)',
        ...(run.state.respondBy ? { deadline: run.state.respondBy } : {}),
        ...(run.slotProposalUnderReview ? { refusal: 'another slot proposal is being checked; try again' } : {}),
      }];
    },
    cancellation: { accepted: true },
  };
}

export function registerSchedulingHandlers(run: RequestRun): void {
  const validateProposal = ({ actor, start, durationMinutes, engineer }: ProposeSlot) => {
    run.requireDeclared('proposeSlot', actor);
    refuseUnless(!run.slotProposalUnderReview, 'another slot proposal is being checked; try again');
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

  setHandler(proposeSlotUpdate, ({ actor, start, durationMinutes, engineer }) => run.act(async () => {
    const startMs = parseInstant(start);
    const startIso = new Date(startMs).toISOString();
    const end = new Date(startMs + durationMinutes * MINUTE_MS).toISOString();
    run.slotProposalUnderReview = true;
    let assessment;
    try {
      assessment = await records.assessSlot({
        requestId: run.request.requestId,
        targets: touchedTargets(run.request).map((t) => t.name),
        start: startIso,
        end,
      });
    } finally {
      run.slotProposalUnderReview = false;
    }
    if (run.state.cancellation) {
      // Cancelled while the reservation was being made: the wind-down may already have released
      // the request's reservations, so this one is released here.
      await records.releaseSlot({ requestId: run.request.requestId });
      throw ApplicationFailure.nonRetryable('the request was cancelled while the slot was being checked', 'RequestCancelled');
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
  }), { validator: validateProposal });

  const validateAcceptance = ({ actor, writtenConfirmation }: AcceptSlot) => {
    run.requireDeclared('acceptSlot', actor);
    const slot = run.state.slot!;
    if (!slot.withinSupportHours) {
      refuseUnless(writtenConfirmation, 'the slot is outside support hours: written confirmation is required (surcharged)');
      refuseUnless(typeof writtenConfirmation === 'object' && !Array.isArray(writtenConfirmation), 'writtenConfirmation must be an object with name, statement and confirmedAt');
      requireText(writtenConfirmation.name, 'writtenConfirmation.name', 200);
      requireText(writtenConfirmation.statement, 'writtenConfirmation.statement');
      requireInstant(writtenConfirmation.confirmedAt, 'writtenConfirmation.confirmedAt');
    }
  };

  setHandler(acceptSlotUpdate, ({ actor, writtenConfirmation }) => run.act(() => {
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
  }), { validator: validateAcceptance });

  const validateMove = ({ actor, reason, preferredStart }: RequestAnotherSlot) => {
    run.requireDeclared('requestAnotherSlot', actor);
    requireText(reason, 'reason');
    if (preferredStart !== undefined) requireInstant(preferredStart, 'preferredStart');
  };

  setHandler(requestAnotherSlotUpdate, ({ actor, reason, preferredStart }) => run.act(async () => {
    run.state.slot = undefined;
    run.record('scheduling', 'another-slot-requested', actor, { reason, ...(preferredStart ? { preferredStart } : {}) });
    run.setScheduledStart(undefined);
    await records.releaseSlot({ requestId: run.request.requestId });
  }), { validator: validateMove });
}

/**
 * Step 2. An operator proposes slots until the customer accepts one (in writing when off-hours);
 * the agreed slot is then announced and its reminders armed, as the category's policy says. Each
 * proposal is due within the request's response time (runs without one wait as long as it takes).
 */
export async function scheduleSlot(run: RequestRun): Promise<void> {
  run.enter('scheduling', agreeingOnSlot(run));
  const agreed = () => run.state.slot?.status === 'accepted';
  const hours = operatorResponseHours(run);
  if (hours === undefined) await run.waitUntil(agreed);
  while (!agreed()) {
    if (run.state.slot === undefined) await awaitOperators(run, 'scheduling', () => run.state.slot !== undefined, hours!);
    else await run.waitUntil(() => agreed() || run.state.slot === undefined);
  }
  announceSlot(run);
}

/** Step 4. Sleeps until the slot starts; a reschedule wakes it and sends the request back. */
export async function waitForSlot(run: RequestRun): Promise<'started' | 'rescheduled'> {
  run.enter('waiting-for-slot', { accepts: (now) => slotMoves(run, now), cancellation: { accepted: true } });
  const slot = run.state.slot!;
  const moved = await run.waitUntil(() => run.state.slot !== slot || slot.status !== 'accepted', Date.parse(slot.start) - Date.now());
  if (moved) return 'rescheduled';
  run.record('slot-wait', 'slot-started', 'system', { start: slot.start, engineer: slot.engineer });
  return 'started';
}
