import { ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import { records, reservations } from '../activity-profiles';
import { earliestSlotStart } from '../lead-time-policy';
import { parseInstant } from '../instant';
import { refuseUnless, requireChoice, requireInstant, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import {
  acceptSlotAsPartnerUpdate,
  acceptSlotUpdate,
  proposeSlotUpdate,
  requestAnotherSlotUpdate,
  type AcceptSlot,
  type AcceptSlotAsPartner,
  type Performer,
  type ProposeSlot,
  type RequestAnotherSlot,
  type SlotState,
} from '../update-request.contract';
import type { DeclaredAction, WaitDeclaration } from '../waits';
import { announceSlot } from './announcements.step';
import { noticeOperationsBeforeSlot } from './operations-notice.step';
import { partnerOf } from './partner';
import { awaitOperators, operatorResponseHours } from './operator-response';
import { touchedTargets } from './targets';

const MINUTE_MS = 60_000;
const MAX_SLOT_MINUTES = 7 * 24 * 60;
const EMAIL = /^[^\s@]+@[^\s@]+$/u;

/** Everyone who must agree has accepted: the customer, and the partner who performs the update. */
function agreedByAll(slot: SlotState): boolean {
  return slot.acceptedAt !== undefined && (partnerOf(slot) === undefined || slot.partnerAcceptedAt !== undefined);
}

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

/**
 * Step 2's wait: an operator proposes, the customer accepts or asks for another. When a partner
 * performs the update, its contact accepts too (through the link mailed to them), and the operator
 * may replace the proposal meanwhile, since the partner cannot ask for another slot itself.
 */
function agreeingOnSlot(run: RequestRun): WaitDeclaration {
  return {
    accepts: () => {
      const slot = run.state.slot;
      const underReview = run.slotProposalUnderReview ? { refusal: 'another slot proposal is being checked; try again' } : {};
      const propose: DeclaredAction = {
        update: 'proposeSlot', roles: ['operator'], description: proposalDescription(run),
        ...(run.state.respondBy ? { deadline: run.state.respondBy } : {}), ...underReview,
      };
      if (slot?.status !== 'proposed') return [propose];
      const partner = partnerOf(slot);
      const accept: DeclaredAction = { update: 'acceptSlot', roles: ['customer'], description: slot.withinSupportHours
        ? 'accept the proposed slot or ask for another'
        : 'accept the off-hours slot with written confirmation (surcharged), or ask for another' };
      const actions: DeclaredAction[] = [
        slot.acceptedAt ? { ...accept, refusal: `the customer has accepted this slot; it waits for the partner ${partner?.name}` } : accept,
        // Once the customer has accepted, the request waits for the partner alone; asking for another stays open.
        { update: 'requestAnotherSlot', roles: ['customer'], description: 'ask for another slot', ...(slot.acceptedAt ? { optional: true as const } : {}) },
      ];
      if (partner) {
        const partnerAccepts: DeclaredAction = {
          update: 'acceptSlotAsPartner', roles: ['partner'],
          description: `the partner ${partner.name} <${partner.email}> accepts the slot (through the link in their mail)`,
        };
        actions.push(
          slot.partnerAcceptedAt ? { ...partnerAccepts, refusal: `the partner ${partner.name} has accepted this slot already` } : partnerAccepts,
          { ...propose, optional: true, description: 'propose another slot instead (both acceptances start over)' },
        );
      }
      return actions;
    },
    cancellation: { accepted: true },
  };
}

/** The operator decides who performs the update; the customer's suggestion of a partner is named. */
function proposalDescription(run: RequestRun): string {
  const suggested = run.request.performer;
  if (suggested.kind !== 'partner' || !suggested.partnerContact) return 'propose a slot (start, duration, engineer)';
  const { name, email } = suggested.partnerContact;
  return `propose a slot (start, duration, engineer) and decide who performs it: the customer suggests the partner ${name} <${email}>`;
}

export function registerSchedulingHandlers(run: RequestRun): void {
  const validateProposal = ({ actor, start, durationMinutes, engineer, performer }: ProposeSlot) => {
    run.requireDeclared('proposeSlot', actor);
    if (performer !== undefined) requirePerformer(performer);
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

  setHandler(proposeSlotUpdate, ({ actor, start, durationMinutes, engineer, performer }) => run.act(async () => {
    const startMs = parseInstant(start);
    const startIso = new Date(startMs).toISOString();
    const end = new Date(startMs + durationMinutes * MINUTE_MS).toISOString();
    const slots = reservationsOf();
    run.slotProposalUnderReview = true;
    let assessment;
    try {
      assessment = await slots.assessSlot({
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
      await slots.releaseSlot({ requestId: run.request.requestId });
      throw ApplicationFailure.nonRetryable('the request was cancelled while the slot was being checked', 'RequestCancelled');
    }
    if (assessment.conflicts.length > 0) {
      const clash = assessment.conflicts.map((c) => `${c.target} is reserved by request ${c.requestId} from ${c.start} to ${c.end}`);
      run.record('scheduling', 'slot-refused', actor, { start: startIso, end, conflicts: clash });
      throw ApplicationFailure.nonRetryable(`the slot overlaps another update on the same target: ${clash.join('; ')}`, 'SlotConflict');
    }
    const rescheduled = run.state.slot?.status === 'accepted';
    // Runs recorded before partners were a party to the schedule never proposed one.
    const partner = performer?.kind === 'partner' && patched('partner-accepts-slot') ? performer : undefined;
    const partnerContact = partner?.partnerContact;
    const proposal = proposalsSoFar(run) + 1;
    run.state.slot = {
      start: startIso,
      end,
      engineer,
      withinSupportHours: assessment.withinSupportHours,
      surcharge: !assessment.withinSupportHours,
      status: 'proposed',
      proposedAt: new Date().toISOString(),
      proposedBy: actor.id,
      proposal,
      ...(partner ? { performer: partner } : {}),
    };
    run.record('scheduling', rescheduled ? 'slot-rescheduled' : 'slot-proposed', actor, {
      start: startIso, end, engineer, withinSupportHours: assessment.withinSupportHours,
      ...(partnerContact ? { performer: 'partner', partner: partnerContact.email, proposal } : {}),
    });
    run.setScheduledStart(undefined);
    if (partnerContact) {
      // Each proposal asks both parties anew, even for the same start; the partner's mail carries
      // the link that accepts this proposal and no other.
      const occurrence = `${startIso}-proposal-${proposal}`;
      run.notify('slot-proposed', 'customer', occurrence, { details: { partner: `${partnerContact.name} <${partnerContact.email}>` } });
      run.notify('partner-slot-proposed', 'partner', occurrence, { partner: partnerContact, details: { proposal: String(proposal) } });
    } else {
      run.notify('slot-proposed', 'customer', startIso);
    }
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
    slot.acceptedAt = new Date().toISOString();
    slot.acceptedBy = actor.id;
    if (!slot.withinSupportHours && writtenConfirmation) slot.writtenConfirmation = writtenConfirmation;
    const agreed = agreedByAll(slot);
    run.record('scheduling', 'slot-accepted', actor, {
      start: slot.start,
      surcharge: slot.surcharge,
      ...(slot.writtenConfirmation ? { confirmedBy: slot.writtenConfirmation.name, statement: slot.writtenConfirmation.statement } : {}),
      ...(agreed ? {} : { waitingFor: 'partner' }),
    });
    if (agreed) agree(run, slot);
  }), { validator: validateAcceptance });

  const validatePartnerAcceptance = ({ actor, proposal }: AcceptSlotAsPartner) => {
    run.requireDeclared('acceptSlotAsPartner', actor);
    const slot = run.state.slot!;
    refuseUnless(actor!.id.toLowerCase() === partnerOf(slot)!.email.toLowerCase(), `this slot waits for the partner ${partnerOf(slot)!.email}, not ${actor!.id}`);
    refuseUnless(proposal === slot.proposal, `this acceptance is for proposal ${proposal}, not the current one: the slot has been proposed anew`);
  };

  setHandler(acceptSlotAsPartnerUpdate, ({ actor }) => run.act(() => {
    const slot = run.state.slot!;
    slot.partnerAcceptedAt = new Date().toISOString();
    slot.partnerAcceptedBy = actor.id;
    const agreed = agreedByAll(slot);
    run.record('scheduling', 'slot-accepted-by-partner', actor, { start: slot.start, proposal: slot.proposal!, ...(agreed ? {} : { waitingFor: 'customer' }) });
    if (agreed) agree(run, slot);
  }), { validator: validatePartnerAcceptance });

  const validateMove = ({ actor, reason, preferredStart }: RequestAnotherSlot) => {
    run.requireDeclared('requestAnotherSlot', actor);
    requireText(reason, 'reason');
    if (preferredStart !== undefined) requireInstant(preferredStart, 'preferredStart');
  };

  setHandler(requestAnotherSlotUpdate, ({ actor, reason, preferredStart }) => run.act(async () => {
    run.state.slot = undefined;
    run.record('scheduling', 'another-slot-requested', actor, { reason, ...(preferredStart ? { preferredStart } : {}) });
    run.setScheduledStart(undefined);
    await reservationsOf().releaseSlot({ requestId: run.request.requestId });
  }), { validator: validateMove });
}

/**
 * Where an action's reply waits on the slot reservations: a local activity. Runs recorded before
 * then scheduled an activity through the server, and replay the same.
 */
function reservationsOf(): Pick<typeof records, 'assessSlot' | 'releaseSlot'> {
  return patched('slot-reservations-local') ? reservations : records;
}

/** Every party has accepted `slot`: it is the request's agreed slot. */
function agree(run: RequestRun, slot: SlotState): void {
  slot.status = 'accepted';
  run.setScheduledStart(slot.start);
}

/** How many slots this request has had proposed (a reschedule is a proposal too). */
function proposalsSoFar(run: RequestRun): number {
  return run.timeline.entries.filter((e) => e.step === 'scheduling' && (e.action === 'slot-proposed' || e.action === 'slot-rescheduled')).length;
}

/** A partner performing the update needs a contact to accept the slot and receive its messages. */
function requirePerformer(performer: Performer): void {
  refuseUnless(typeof performer === 'object' && performer !== null && !Array.isArray(performer), 'performer must be an object with kind (and partnerContact for a partner)');
  requireChoice(performer.kind, ['provider', 'partner'], 'performer.kind');
  if (performer.kind === 'provider') {
    refuseUnless(performer.partnerContact === undefined, 'performer.partnerContact is only for a partner');
    return;
  }
  const contact = performer.partnerContact;
  refuseUnless(typeof contact === 'object' && contact !== null && !Array.isArray(contact), 'performer.partnerContact is required when a partner performs the update');
  requireText(contact.name, 'performer.partnerContact.name', 200);
  requireText(contact.email, 'performer.partnerContact.email', 320);
  refuseUnless(EMAIL.test(contact.email), 'performer.partnerContact.email must be an e-mail address');
}

/**
 * Step 2. An operator proposes slots until the customer accepts one (in writing when off-hours),
 * and the partner too when one performs the update; the agreed slot is then announced and its
 * reminders armed, as the category's policy says, and operations' notice of what to prepare is
 * armed for 24 hours before it. Each proposal is due within the request's response time (runs
 * without one wait as long as it takes).
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
  noticeOperationsBeforeSlot(run);
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
