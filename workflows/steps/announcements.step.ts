import { condition } from '@temporalio/workflow';
import type { CalendarInvitation } from '../activity-contract';
import type { RequestRun } from '../request-run';
import type { CommunicationPolicy, SlotState } from '../update-request.contract';
import { partnerOf } from './partner';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The announcements this request's category calls for (captured with the policy at intake). */
function communicationPolicy(run: RequestRun): CommunicationPolicy {
  return run.policy.communication[run.request.category];
}

/**
 * Once a slot is agreed: a customer who already holds an invitation gets the updated event at once;
 * otherwise the slot is announced when the category's policy says so. A partner who performs the
 * update is always sent the announcement with its invitation: it has agreed to come. Then the
 * reminders are armed.
 */
export function announceSlot(run: RequestRun): void {
  const slot = run.state.slot!;
  const policy = communicationPolicy(run);
  const partner = partnerOf(slot);
  if (partner) {
    run.record('customer-notification', 'partner-announcement-sent', 'system', { start: slot.start, partner: partner.email });
    run.notify('update-announced', 'partner', `${slot.start}-proposal-${slot.proposal}`, { partner, calendar: partnerInvitation(slot, 'REQUEST') });
  }
  if (run.state.calendar) {
    run.record('customer-notification', 'reschedule-sent', 'system', { start: slot.start });
    run.notify('update-rescheduled', 'customer', slot.start, { calendar: invitationFor(run, slot) });
  } else if (policy.announce && Date.parse(slot.start) - Date.now() >= policy.announceMinDaysAhead * DAY_MS) {
    run.record('customer-notification', 'announcement-sent', 'system', { start: slot.start });
    run.notify('update-announced', 'customer', slot.start, { calendar: invitationFor(run, slot) });
  }
  remindBeforeSlot(run, slot);
}

/**
 * The policy's reminders as durable timers, for this slot only: they stop when the slot moves, is
 * given up or the request is cancelled (the next agreed slot arms its own). Moments already past
 * when the slot is agreed are skipped. Runs beside the main flow, which it never holds up.
 */
function remindBeforeSlot(run: RequestRun, slot: SlotState): void {
  const moments = [...new Set(communicationPolicy(run).remindMinutesBefore)]
    .map((minutes) => ({ minutes, at: Date.parse(slot.start) - minutes * MINUTE_MS }))
    .filter(({ at }) => at > Date.now())
    .sort((a, b) => a.at - b.at);
  const superseded = () => run.state.slot !== slot || slot.status !== 'accepted' || run.state.cancellation !== undefined;
  void (async () => {
    for (const { minutes, at } of moments) {
      if (await condition(superseded, at - Date.now())) return;
      run.record('customer-notification', 'reminder-sent', 'system', { start: slot.start, minutesBefore: minutes });
      // The first message about this slot carries its invitation (a category without announcement).
      const calendar = run.state.calendar?.start === slot.start && run.state.calendar.end === slot.end ? undefined : invitationFor(run, slot);
      run.notify('update-reminder', 'customer', `${slot.start}-${minutes}m`, {
        details: { minutesBefore: String(minutes) },
        ...(calendar ? { calendar } : {}),
      });
      const partner = partnerOf(slot);
      if (partner) run.notify('update-reminder', 'partner', `${slot.start}-${minutes}m`, { partner, details: { minutesBefore: String(minutes) } });
    }
  })();
}

/** A signed-off update is confirmed to the customer when the category's policy says so. */
export function confirmCompletion(run: RequestRun): void {
  if (communicationPolicy(run).confirmCompletion) run.notify('update-completed', 'customer', 'completion');
}

/** Tells the customer the request is cancelled, withdrawing the calendar event they hold, if any. */
export function announceCancellation(run: RequestRun): void {
  const held = run.state.calendar;
  let calendar: CalendarInvitation | undefined;
  if (held) {
    run.state.calendar = { ...held, sequence: held.sequence + 1 };
    run.touch();
    calendar = { method: 'CANCEL', ...run.state.calendar };
  }
  run.notify('cancelled', 'customer', 'cancellation', {
    details: { reason: run.state.cancellation!.reason },
    ...(calendar ? { calendar } : {}),
  });
  // The partner holds the agreed slot's event in its calendar: withdraw it there too.
  const slot = run.state.slot;
  const partner = partnerOf(slot);
  if (slot?.status === 'accepted' && partner) {
    run.notify('cancelled', 'partner', 'cancellation', { partner, details: { reason: run.state.cancellation!.reason }, calendar: partnerInvitation(slot, 'CANCEL') });
  }
}

/**
 * The partner's event: the request's one UID, revised per agreed slot (the proposal's number is its
 * SEQUENCE, so a later slot always supersedes an earlier one). Kept apart from the customer's
 * calendar state, which says what the customer's calendar holds.
 */
function partnerInvitation(slot: SlotState, method: CalendarInvitation['method']): CalendarInvitation {
  return { method, sequence: slot.proposal ?? 0, start: slot.start, end: slot.end };
}

/** The invitation for `slot`: the first is sequence 0, every revision of the same event one more. */
function invitationFor(run: RequestRun, slot: SlotState): CalendarInvitation {
  const sequence = run.state.calendar ? run.state.calendar.sequence + 1 : 0;
  run.state.calendar = { sequence, start: slot.start, end: slot.end };
  run.touch();
  return { method: 'REQUEST', sequence, start: slot.start, end: slot.end };
}
