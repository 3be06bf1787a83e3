import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import {
  acceptSlotUpdate,
  cancelRequestUpdate,
  decideShortNoticeUpdate,
  proposeSlotUpdate,
  requestAnotherSlotUpdate,
  signOffUpdate,
  type UpdateRequest,
  type UpdateRequestState,
} from '../../workflows/update-request.contract';
import { CredentialStore } from '../../api/auth/credential-store';
import { calendarOf, recipientsOf } from '../support/calendar';
import { customerOf, operator, type RequestHandle, UpdateHarness } from '../support/update-harness';
import { agreeSlot, completeAllHosts, passPreChecks } from './request-driver';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A mail of one request, split into what its deterministic Message-ID says. */
interface RequestMail { kind: string; occurrence: string; to: string[]; mail: ParsedMail }

describe('managed update: customer communication by category', () => {
  let h: UpdateHarness;
  before(async () => { h = await UpdateHarness.start(); });
  after(async () => { await h?.stop(); });

  /** Every mail of `request` received so far, in order of arrival. */
  function mailsOf(request: UpdateRequest): RequestMail[] {
    const prefix = `<${request.requestId}.`;
    return h.mailbox.messages
      .filter((m) => m.messageId?.startsWith(prefix))
      .map((mail) => {
        const [kind, ...rest] = mail.messageId!.slice(prefix.length, -'@managed-updates>'.length).split('.');
        return { kind, occurrence: rest.join('.'), to: recipientsOf(mail), mail };
      });
  }

  const toCustomer = (request: UpdateRequest) => mailsOf(request).filter((m) => m.to.includes('clara@customer.test'));
  const customerKinds = (request: UpdateRequest) => toCustomer(request).map((m) => m.kind);

  /** Waits (real time, seconds at most) for the request's mail of `kind`, optionally of one occurrence. */
  async function mailOf(request: UpdateRequest, kind: string, occurrence?: string): Promise<RequestMail> {
    await h.mailbox.waitForMatch((m) => mailsOf(request).some((r) => r.mail === m && r.kind === kind && (occurrence === undefined || r.occurrence === occurrence)));
    return mailsOf(request).find((r) => r.kind === kind && (occurrence === undefined || r.occurrence === occurrence))!;
  }

  /**
   * Checks the reminders the workflow recorded: one per expected [moment, minutes before], each at
   * its moment in workflow time (a timer fires at its moment; the task that handles it runs a few
   * milliseconds of skipped time later), and no others.
   */
  function assertReminders(state: UpdateRequestState, expected: Array<[number, number]>): void {
    const sent = state.timeline.filter((e) => e.action === 'reminder-sent');
    assert.deepEqual(sent.map((e) => e.evidence.minutesBefore), expected.map(([, minutes]) => minutes));
    sent.forEach((e, i) => {
      const late = Date.parse(e.at) - expected[i][0];
      assert.ok(late >= 0 && late < MINUTE_MS, `reminder ${i + 1} at ${e.at}, due ${new Date(expected[i][0]).toISOString()}`);
    });
  }
  const opsKinds = (request: UpdateRequest) => mailsOf(request).filter((m) => m.to.includes('operations@provider.test')).map((m) => m.kind).sort();

  /** From the slot's start to the end of the request: install, sign off, wait out the retention. */
  async function runToCompletion(handle: RequestHandle, request: UpdateRequest, slotStart: string): Promise<UpdateRequestState> {
    await h.skipPast(slotStart);
    await completeAllHosts(h, handle, 1);
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId), notes: 'tests green' }] });
    assert.equal((await handle.result()).outcome, 'signed-off');
    return h.state(handle);
  }

  /** Escapes an ISO instant for comparison with a Message-ID's occurrence part. */
  const idPart = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`);

  it('feature: announces a slot 10+ days ahead with an invitation, reminds 2 days and 24 h before, confirms completion', async () => {
    const request = await h.request({ category: 'feature' });
    const handle = await h.submit(request);
    const { slot } = await agreeSlot(h, handle, request);
    await passPreChecks(h, handle);
    const start = Date.parse(slot!.start);

    const announced = await mailOf(request, 'update-announced');
    assert.match(announced.mail.text ?? '', /When: \w+day \d+ \w+ \d{4}, 09:00 Europe\/Zurich/);
    assert.match(announced.mail.text ?? '', /expected downtime 2 hours\. Please do not use the software/);
    // The release notes the request carries, not only its version numbers.
    assert.match(announced.mail.text ?? '', /^Changes: New: payroll export to Swissdec 5\. Fixed: VAT rounding\.\n\(Abacus Abacus ERP 2024\.1 to 2025\.2, feature update, severity major\)\nRelease notes: https:\/\/abacus\.example\/releases\/2025\.2$/m);
    assert.match(String(announced.mail.html), /<a href="https:\/\/abacus\.example\/releases\/2025\.2">release notes<\/a>/);
    assert.deepEqual(pick(calendarOf(announced.mail)), { method: 'REQUEST', uid: `${request.requestId}@managed-updates`, sequence: 0 });
    assert.equal(toCustomer(request).filter((m) => m.kind === 'update-reminder').length, 0);

    await h.skipPast(new Date(start - 2 * DAY_MS).toISOString());
    const twoDays = await mailOf(request, 'update-reminder', `${idPart(slot!.start)}-2880m`);
    assert.match(twoDays.mail.text ?? '', /your update starts in 2 days/);
    assert.equal(calendarOf(twoDays.mail), undefined, 'the customer already holds the invitation');
    await h.skipPast(new Date(start - DAY_MS).toISOString());
    await mailOf(request, 'update-reminder', `${idPart(slot!.start)}-1440m`);

    const state = await runToCompletion(handle, request, slot!.start);
    assertReminders(state, [[start - 2 * DAY_MS, 2880], [start - DAY_MS, 1440]]);
    assert.match((await mailOf(request, 'update-completed')).mail.text ?? '', /^Changes: New: payroll export to Swissdec 5\. Fixed: VAT rounding\.$/m);
    assert.deepEqual(customerKinds(request), ['request-received', 'slot-proposed', 'update-announced', 'update-reminder', 'update-reminder',
      'update-done', 'update-completed', 'snapshots-deleted']);
    assert.deepEqual(opsKinds(request), ['new-request', 'slot-preparation']);
  });

  it("a German customer: the same messages in German, dates the German way, the invitation's summary too", async () => {
    const request = await h.request({ category: 'feature' });
    await new CredentialStore(h.db.dataSource).createCustomer({ id: request.customerId, name: 'Bauer GmbH', language: 'de' });
    const handle = await h.submit(request);
    await agreeSlot(h, handle, request);

    const received = await mailOf(request, 'request-received');
    assert.equal(received.mail.subject, 'Update-Auftrag erhalten: Abacus ERP 2025.2');
    assert.match(received.mail.text ?? '', /^Guten Tag, wir haben Ihren Update-Auftrag erhalten\.$/m);
    const announced = await mailOf(request, 'update-announced');
    assert.equal(announced.mail.subject, 'Update eingeplant: Abacus ERP 2025.2');
    assert.match(announced.mail.text ?? '', /^Wann: (Montag|Dienstag|Mittwoch|Donnerstag|Freitag), \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, 09:00 Uhr \(Europe\/Zurich\) bis /m);
    assert.match(announced.mail.text ?? '', /erwartete Ausfallzeit 2 Stunden\./);
    assert.match(announced.mail.text ?? '', /^Änderungen: New: payroll export to Swissdec 5\. Fixed: VAT rounding\.\n\(Abacus Abacus ERP 2024\.1 auf 2025\.2, Funktions-Update, Schweregrad mittel\)$/m);
    assert.match(calendarOf(announced.mail)!.raw, /^SUMMARY:Update von Abacus ERP auf 2025\.2 \(Software bitte nicht benutzen\)$/m);
    assert.deepEqual(customerKinds(request), ['request-received', 'slot-proposed', 'update-announced']);
    // Operations reads its own messages in English.
    assert.equal((await mailOf(request, 'new-request')).mail.subject, 'New update request: Abacus ERP 2025.2');

    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'Projekt gestoppt' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    const cancelled = await mailOf(request, 'cancelled');
    assert.equal(cancelled.mail.subject, 'Update storniert: Abacus ERP 2025.2');
    assert.match(cancelled.mail.text ?? '', /^Begründung: Projekt gestoppt$/m);
    assert.match(calendarOf(cancelled.mail)!.raw, /^SUMMARY:Abgesagt: Update von Abacus ERP auf 2025\.2 \(Software bitte nicht benutzen\)$/m);
  });

  it('feature under 10 days ahead: no announcement; the first reminder carries the invitation', async () => {
    const request = await h.request({ category: 'feature' }, 5);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'accept', reason: 'engineer free' }] });
    await h.untilStatus(handle, 'scheduling');
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 4 * DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik' }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await passPreChecks(h, handle);

    await h.skipPast(new Date(Date.parse(slot.start) - 2 * DAY_MS).toISOString());
    const first = await mailOf(request, 'update-reminder');
    assert.deepEqual(pick(calendarOf(first.mail)), { method: 'REQUEST', uid: `${request.requestId}@managed-updates`, sequence: 0 });
    assert.deepEqual(customerKinds(request), ['request-received', 'slot-proposed', 'update-reminder']);
    await handle.terminate('test done');
  });

  it('maintenance: a reschedule updates the invitation and moves the reminder; a cancel withdraws the event', async () => {
    const request = await h.request({ category: 'maintenance' });
    const customer = customerOf(request.customerId);
    const handle = await h.submit(request);
    const { slot: first } = await agreeSlot(h, handle, request);
    const invitation = calendarOf((await mailOf(request, 'update-announced')).mail)!;
    assert.equal(invitation.sequence, 0);

    await handle.executeUpdate(requestAnotherSlotUpdate, { args: [{ actor: customer, reason: 'audit that week' }] });
    await h.untilStatus(handle, 'scheduling');
    const second = h.supportSlotAfter(new Date(Date.parse(first!.start) + 3 * DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...second, engineer: 'Erik' }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customer }] });
    const moved = await mailOf(request, 'update-rescheduled');
    assert.deepEqual(pick(calendarOf(moved.mail)), { method: 'REQUEST', uid: invitation.uid, sequence: 1 });
    assert.match(calendarOf(moved.mail)!.raw, new RegExp(`DTSTART:${second.start.replace(/[-:]/g, '').replace(/\.\d+/, '')}`));

    // The first slot's reminder moment passes without a reminder; the second slot's comes on time.
    await h.skipPast(first!.start);
    assertReminders(await h.state(handle), []);
    await h.skipPast(new Date(Date.parse(second.start) - DAY_MS).toISOString());
    await mailOf(request, 'update-reminder', `${idPart(new Date(second.start).toISOString())}-1440m`);

    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customer, reason: 'project stopped' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    const cancelled = await mailOf(request, 'cancelled');
    assert.deepEqual(pick(calendarOf(cancelled.mail)), { method: 'CANCEL', uid: invitation.uid, sequence: 2 });
    assert.match(cancelled.mail.text ?? '', /Reason: project stopped/);
    const state = await h.state(handle);
    assertReminders(state, [[Date.parse(second.start) - DAY_MS, 1440]]);
    assert.deepEqual(customerKinds(request), ['request-received', 'slot-proposed', 'update-announced', 'slot-proposed', 'update-rescheduled',
      'update-reminder', 'cancelled']);
  });

  it('server: no announcement; reminders 24 h (with the invitation and downtime) and 30 min before; no confirmation', async () => {
    const request = await h.request({ category: 'server', expectedDurationMinutes: 45 });
    const handle = await h.submit(request);
    const { slot } = await agreeSlot(h, handle, request);
    await passPreChecks(h, handle);
    const start = Date.parse(slot!.start);

    await h.skipPast(new Date(start - DAY_MS).toISOString());
    const dayBefore = await mailOf(request, 'update-reminder', `${idPart(slot!.start)}-1440m`);
    assert.match(dayBefore.mail.text ?? '', /starts in 1 day\./);
    assert.match(dayBefore.mail.text ?? '', /expected downtime 45 minutes/);
    assert.deepEqual(pick(calendarOf(dayBefore.mail)), { method: 'REQUEST', uid: `${request.requestId}@managed-updates`, sequence: 0 });
    await h.skip(Date.parse(slot!.start) - 31 * MINUTE_MS - (await h.env.currentTimeMs()));
    assert.equal(toCustomer(request).filter((m) => m.kind === 'update-reminder').length, 1);
    await h.skip(2 * MINUTE_MS);
    const halfHour = await mailOf(request, 'update-reminder', `${idPart(slot!.start)}-30m`);
    assert.match(halfHour.mail.text ?? '', /starts in 30 minutes/);

    const state = await runToCompletion(handle, request, slot!.start);
    assertReminders(state, [[start - DAY_MS, 1440], [start - 30 * MINUTE_MS, 30]]);
    assert.deepEqual(customerKinds(request), ['request-received', 'slot-proposed', 'update-reminder', 'update-reminder',
      'update-done', 'snapshots-deleted']);
  });

  it('security: announces a critical patch at once even on short notice, no reminders, confirms completion', async () => {
    const request = await h.request({ category: 'security', criticalSecurity: true, severity: 'blocker' }, 2);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    await mailOf(request, 'short-notice-review');
    await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'expedite', reason: 'actively exploited' }] });
    await h.untilStatus(handle, 'scheduling');
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 1 * DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik' }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    const announced = await mailOf(request, 'update-announced');
    assert.equal(calendarOf(announced.mail)?.method, 'REQUEST');
    await passPreChecks(h, handle);

    const state = await runToCompletion(handle, request, new Date(slot.start).toISOString());
    assertReminders(state, []);
    assert.deepEqual(customerKinds(request), ['request-received', 'slot-proposed', 'update-announced', 'update-done', 'update-completed',
      'snapshots-deleted']);
    assert.deepEqual(opsKinds(request), ['new-request', 'short-notice-review', 'slot-preparation']);
  });
});

function pick(calendar: ReturnType<typeof calendarOf>) {
  return calendar && { method: calendar.method, uid: calendar.uid, sequence: calendar.sequence };
}
