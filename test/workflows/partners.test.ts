import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import {
  acceptSlotAsPartnerUpdate,
  acceptSlotUpdate,
  cancelRequestUpdate,
  proposeSlotUpdate,
  recordHostStepUpdate,
  requestAnotherSlotUpdate,
  type Actor,
  type Performer,
  type UpdateRequest,
} from '../../workflows/update-request.contract';
import { calendarOf, recipientsOf } from '../support/calendar';
import { customerOf, historyFacts, operator, UpdateHarness, type RequestHandle } from '../support/update-harness';
import { passPreChecks, recordStep } from './request-driver';

// ical.js (Mozilla's iCalendar parser) ships CommonJS beside its ES module; its types describe the latter.
type Ical = typeof import('ical.js', { with: { 'resolution-mode': 'import' } }).default;
const ICAL: Ical = require('ical.js');

const DAY_MS = 86_400_000;
const PARTNER = { name: 'Paula Partner', email: 'paula@partner.test' };
const BY_PARTNER: Performer = { kind: 'partner', partnerContact: PARTNER };
const partnerActor: Actor = { id: PARTNER.email, role: 'partner' };

describe('managed update: a partner who performs the update is a party to the schedule', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  const toPartner = (request: UpdateRequest): ParsedMail[] =>
    h.mailbox.messages.filter((m) => recipientsOf(m).includes(PARTNER.email) && String(m.messageId).includes(request.requestId));
  const kindOf = (m: ParsedMail) => String(m.messageId).split('.')[1];

  async function proposed(handle: RequestHandle, request: UpdateRequest, daysAfter: number, performer?: Performer) {
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + daysAfter * DAY_MS));
    return handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik Engineer', ...(performer ? { performer } : {}) }] });
  }

  it('agrees a slot only once the customer and the partner have accepted the current proposal', async () => {
    // The customer suggests the partner; only the operator's proposal makes it the performer.
    const request = await h.request({ performer: BY_PARTNER });
    const customer = customerOf(request.customerId);
    const handle = await h.submit(request);
    let state = await h.untilStatus(handle, 'scheduling');
    assert.match(state.pendingActions.find((a) => a.update === 'proposeSlot')!.description, /customer suggests the partner Paula Partner <paula@partner\.test>/);

    const first = await proposed(handle, request, 15, BY_PARTNER);
    assert.deepEqual(first.pendingActions.filter((a) => !a.optional).map((a) => [a.update, a.roles]).sort(),
      [['acceptSlot', ['customer']], ['acceptSlotAsPartner', ['partner']], ['requestAnotherSlot', ['customer']]]);
    state = await h.state(handle);
    assert.deepEqual([state.slot?.proposal, state.slot?.performer], [1, BY_PARTNER]);

    // Only the partner named in the proposal, for that proposal, and only as a partner.
    assert.match(await h.refusal(handle, acceptSlotAsPartnerUpdate, { actor: { id: 'mallory@partner.test', role: 'partner' }, proposal: 1 }),
      /waits for the partner paula@partner\.test, not mallory@partner\.test/);
    assert.match(await h.refusal(handle, acceptSlotAsPartnerUpdate, { actor: customer, proposal: 1 }), /role customer may not do this; allowed: partner/);
    assert.match(await h.refusal(handle, acceptSlotUpdate, { actor: partnerActor }), /role partner may not do this; allowed: customer/);

    // The customer's acceptance alone leaves the slot proposed, waiting for the partner.
    const receipt = await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customer }] });
    assert.equal(receipt.status, 'scheduling');
    assert.deepEqual(receipt.pendingActions.filter((a) => !a.optional).map((a) => a.update), ['acceptSlotAsPartner']);
    state = await h.state(handle);
    assert.equal(state.slot?.status, 'proposed');
    assert.equal(state.slot?.acceptedBy, customer.id);
    assert.deepEqual(state.timeline.at(-1)?.evidence.waitingFor, 'partner');
    assert.match(await h.refusal(handle, acceptSlotUpdate, { actor: customer }), /customer has accepted this slot; it waits for the partner Paula Partner/);

    // A new proposal starts both acceptances over; the link of the first no longer works.
    await proposed(handle, request, 16, BY_PARTNER);
    state = await h.state(handle);
    assert.deepEqual([state.slot?.proposal, state.slot?.acceptedAt, state.slot?.status], [2, undefined, 'proposed']);
    assert.match(await h.refusal(handle, acceptSlotAsPartnerUpdate, { actor: partnerActor, proposal: 1 }), /not the current one: the slot has been proposed anew/);
    const partnerFirst = await handle.executeUpdate(acceptSlotAsPartnerUpdate, { args: [{ actor: partnerActor, proposal: 2 }] });
    assert.equal(partnerFirst.status, 'scheduling');
    assert.match(await h.refusal(handle, acceptSlotAsPartnerUpdate, { actor: partnerActor, proposal: 2 }), /Paula Partner has accepted this slot already/);

    // The customer asking for another slot drops the partner's acceptance with the slot.
    await handle.executeUpdate(requestAnotherSlotUpdate, { args: [{ actor: customer, reason: 'month-end closing' }] });
    assert.match(await h.refusal(handle, acceptSlotAsPartnerUpdate, { actor: partnerActor, proposal: 2 }), /no proposed slot is waiting for a partner's acceptance/);
    await proposed(handle, request, 17, BY_PARTNER);
    await handle.executeUpdate(acceptSlotAsPartnerUpdate, { args: [{ actor: partnerActor, proposal: 3 }] });
    const agreed = await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customer }] });
    assert.equal(agreed.status, 'pre-checks');
    state = await h.state(handle);
    assert.deepEqual([state.slot?.status, state.slot?.partnerAcceptedBy, state.slot?.acceptedBy], ['accepted', PARTNER.email, customer.id]);
    assert.deepEqual((await historyFacts(handle)).acceptedUpdates, ['proposeSlot', 'acceptSlot', 'proposeSlot', 'acceptSlotAsPartner', 'requestAnotherSlot',
      'proposeSlot', 'acceptSlotAsPartner', 'acceptSlot']);
    const audited = await h.untilAudited(request.requestId, 'slot-accepted-by-partner');
    assert.equal(audited.actor, PARTNER.email);

    // The partner got one proposal per slot, each with its own link, and the announcement with its own invitation.
    const proposals = await waitForPartnerMails(request, (mails) => mails.filter((m) => kindOf(m) === 'partner-slot-proposed').length === 3
      && mails.some((m) => kindOf(m) === 'update-announced'));
    const links = proposals.filter((m) => kindOf(m) === 'partner-slot-proposed').map((m) => /\/partner\/slot-acceptance\/(muslot_[\w-]+)/.exec(m.text ?? '')?.[1]);
    assert.equal(new Set(links).size, 3, 'every proposal has its own link');
    const rows: Array<{ proposal: number; token_hash: string }> = await h.db.dataSource.query(
      'SELECT proposal, token_hash FROM slot_acceptance_links WHERE request_id = $1 ORDER BY proposal', [request.requestId]);
    assert.deepEqual(rows.map((r) => r.proposal), [1, 2, 3]);
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash) && !links.includes(r.token_hash)), 'only hashes are stored');
    const announcement = proposals.find((m) => kindOf(m) === 'update-announced')!;
    assert.match(announcement.text ?? '', /partner who performs this update for customer/);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(calendarOf(announcement)!.raw)).getFirstSubcomponent('vevent')!);
    assert.deepEqual([event.uid, event.startDate.toJSDate().toISOString(), event.sequence], [`${request.requestId}@managed-updates`, state.slot!.start, 3]);
    assert.deepEqual(event.attendees.map((a) => String(a.getFirstValue()).toLowerCase()), [`mailto:${PARTNER.email}`]);
    // The customer's own proposals go to the customer alone, and say who performs the update.
    const toCustomer = await waitForMails(() => h.mailbox.messages.filter((m) => kindOf(m) === 'slot-proposed' && String(m.messageId).includes(request.requestId)),
      (mails) => mails.length === 3);
    assert.ok(toCustomer.every((m) => !recipientsOf(m).includes(PARTNER.email)
      && (m.text ?? '').includes('performed by our partner Paula Partner <paula@partner.test>, accompanied by our engineer')));

    // Reminders reach the partner too.
    await passPreChecks(h, handle);
    await h.skipPast(new Date(Date.parse(state.slot!.start) - DAY_MS).toISOString());
    await waitForPartnerMails(request, (mails) => mails.filter((m) => kindOf(m) === 'update-reminder').length === 2);
    await handle.terminate('test done');
  });

  it("withdraws the partner's calendar event when the agreed slot is cancelled", async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    await proposed(handle, request, 15, BY_PARTNER);
    await handle.executeUpdate(acceptSlotAsPartnerUpdate, { args: [{ actor: partnerActor, proposal: 1 }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'budget frozen' }] });
    assert.equal((await handle.result()).outcome, 'cancelled');
    const mails = await waitForPartnerMails(request, (m) => m.some((x) => kindOf(x) === 'cancelled'));
    const invitation = calendarOf(mails.find((m) => kindOf(m) === 'update-announced')!)!;
    const withdrawal = calendarOf(mails.find((m) => kindOf(m) === 'cancelled')!)!;
    assert.deepEqual([invitation.method, invitation.uid, invitation.sequence], ['REQUEST', `${request.requestId}@managed-updates`, 1]);
    assert.deepEqual([withdrawal.method, withdrawal.uid, withdrawal.status], ['CANCEL', invitation.uid, 'CANCELLED']);
  });

  it('refuses a partner without a contact, and a partner acceptance where the provider performs the update', async () => {
    const request = await h.request({ performer: BY_PARTNER });
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * DAY_MS));
    const propose = (performer: unknown) => h.refusal(handle, proposeSlotUpdate, { actor: operator, ...slot, engineer: 'Erik', performer: performer as Performer });
    assert.match(await propose({ kind: 'partner' }), /partnerContact is required when a partner performs the update/);
    assert.match(await propose({ kind: 'partner', partnerContact: { name: 'P', email: 'not-an-address' } }), /must be an e-mail address/);
    assert.match(await propose({ kind: 'provider', partnerContact: PARTNER }), /partnerContact is only for a partner/);
    assert.match(await propose({ kind: 'someone' }), /performer\.kind must be one of provider, partner/);
    // Without a decision the provider's engineer performs it, whatever the customer suggested.
    await proposed(handle, request, 15);
    assert.equal((await h.state(handle)).slot?.performer, undefined);
    assert.match(await h.refusal(handle, acceptSlotAsPartnerUpdate, { actor: partnerActor, proposal: 1 }), /no proposed slot is waiting for a partner's acceptance/);
    assert.equal((await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] })).status, 'pre-checks');
    assert.deepEqual((await historyFacts(handle)).acceptedUpdates, ['proposeSlot', 'acceptSlot']);
    await handle.terminate('test done');
  });

  it('records who carried out each host step: required with a partner, the engineer otherwise', async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    await proposed(handle, request, 15, BY_PARTNER);
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await handle.executeUpdate(acceptSlotAsPartnerUpdate, { args: [{ actor: partnerActor, proposal: 1 }] });
    const { slot } = await passPreChecks(h, handle);
    await h.skipPast(slot!.start);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    const hostHandle = h.env.client.workflow.getHandle(host.workflowId);
    const step = { actor: operator, target: host.target, step: 'install' as const, passed: true, notes: 'installed' };

    assert.match(await h.refusal(hostHandle, recordHostStepUpdate, step), /a partner performs this update: carriedOutBy must say who carried the step out/);
    assert.match(await h.refusal(hostHandle, recordHostStepUpdate, { ...step, carriedOutBy: 'partner' as never }), /carriedOutBy must be one of engineer, partner-with-engineer/);
    await hostHandle.executeUpdate(recordHostStepUpdate, { args: [{ ...step, carriedOutBy: 'partner-with-engineer' }] });
    await hostHandle.executeUpdate(recordHostStepUpdate, { args: [{ ...step, step: 'configure', carriedOutBy: 'engineer' }] });
    const hostState = await h.untilHost(host.workflowId, (s) => s.records.length === 2);
    assert.deepEqual(hostState.records.map((r) => [r.step, r.carriedOutBy]), [['install', 'partner-with-engineer'], ['configure', 'engineer']]);
    assert.equal(hostState.timeline[0].evidence.carriedOutBy, 'partner-with-engineer');
    const audited = await h.untilAudited(request.requestId, 'install-passed');
    assert.equal(audited.evidence.carriedOutBy, 'partner-with-engineer');
    await handle.terminate('test done');
  });

  it("defaults host steps to the provider's engineer and refuses a partner there", async () => {
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    await proposed(handle, request, 15);
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    const { slot } = await passPreChecks(h, handle);
    await h.skipPast(slot!.start);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    const hostHandle = h.env.client.workflow.getHandle(host.workflowId);
    assert.match(await h.refusal(hostHandle, recordHostStepUpdate, {
      actor: operator, target: host.target, step: 'install', passed: true, notes: 'installed', carriedOutBy: 'partner-with-engineer',
    }), /no partner performs this update: carriedOutBy can only be 'engineer'/);
    await recordStep(h, host.workflowId, host.target, 'install');
    const hostState = await h.untilHost(host.workflowId, (s) => s.records.length === 1);
    assert.equal(hostState.records[0].carriedOutBy, 'engineer');
    assert.equal((await historyFacts(hostHandle)).acceptedUpdates.length, 1);
    await handle.terminate('test done');
  });

  /** Waits (real time, 15 s at most) until the mails `select` picks are `enough`; mail goes out beside the workflow's steps. */
  async function waitForMails(select: () => ParsedMail[], enough: (mails: ParsedMail[]) => boolean): Promise<ParsedMail[]> {
    const deadline = Date.now() + 15_000;
    while (!enough(select())) {
      if (Date.now() > deadline) throw new Error(`mails: ${select().map(kindOf).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return select();
  }
  const waitForPartnerMails = (request: UpdateRequest, enough: (mails: ParsedMail[]) => boolean) => waitForMails(() => toPartner(request), enough);
});

