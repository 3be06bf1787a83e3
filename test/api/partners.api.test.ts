import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { hashToken } from '../../api/auth/secret-tokens';
import { recipientsOf } from '../support/calendar';
import { historyFacts } from '../support/update-harness';
import { ApiHarness, type Caller } from './api-harness';

const DAY_MS = 86_400_000;
const PARTNER = { name: 'Paula Partner', email: 'paula@partner.test' };

describe('API: the partner accepts its slot through the link in its mail, over HTTP with real mail', () => {
  let sut: ApiHarness;
  let customer: Caller;
  let operator: Caller;

  before(async () => {
    sut = await ApiHarness.start();
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga');
  });
  after(async () => { await sut?.stop(); });

  /** The path of the acceptance link in the `nth` (1-based) slot proposal the partner was mailed for the request. */
  async function mailedLink(requestId: string, nth: number): Promise<string> {
    const mine = (m: ParsedMail) => recipientsOf(m).includes(PARTNER.email) && String(m.messageId).includes(`${requestId}.partner-slot-proposed.`);
    const deadline = Date.now() + 15_000;
    while (sut.h.mailbox.messages.filter(mine).length < nth) {
      if (Date.now() > deadline) throw new Error(`expected ${nth} proposals to the partner`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const mail = sut.h.mailbox.messages.filter(mine)[nth - 1];
    assert.deepEqual(recipientsOf(mail), [PARTNER.email]);
    const path = /https?:\/\/[^/\s]+(\/partner\/slot-acceptance\/muslot_[\w-]+)/.exec(mail.text ?? '')?.[1];
    assert.ok(path, `no acceptance link in: ${mail.text}`);
    assert.ok(String(mail.html).includes(`${path}"`), 'the HTML mail links the same page');
    return path;
  }

  it('agrees the slot only with both acceptances; an old, used or unknown link changes nothing', async () => {
    const { requestId, body } = await sut.submit(customer, { performer: { kind: 'partner', partnerContact: PARTNER } });
    await sut.untilStatus(operator, requestId, 'scheduling');
    const submittedAt = Date.parse(body.desiredStart) - 21 * DAY_MS;
    const slotAfter = (days: number) => sut.h.supportSlotAfter(new Date(submittedAt + days * DAY_MS));
    const propose = (days: number, performer: unknown) => sut.call(operator, 'POST', `/requests/${requestId}/slot-proposals`,
      { ...slotAfter(days), engineer: 'Erik Engineer', performer });

    // Bad input is a 400 and changes nothing; the operator decides who performs it.
    const noContact = await propose(15, { kind: 'partner' });
    assert.equal(noContact.status, 400);
    assert.ok(noContact.body.message.includes('performer.partnerContact is required when a partner performs the update'), JSON.stringify(noContact.body));
    const first = await propose(15, { kind: 'partner', partnerContact: PARTNER });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.ok(first.body.pendingActions.some((a: { update: string; roles: string[] }) => a.update === 'acceptSlotAsPartner' && a.roles[0] === 'partner'));
    const firstLink = await mailedLink(requestId, 1);

    // Opening the link only shows the slot: a mail scanner that follows it accepts nothing.
    const page = await sut.call(undefined, 'GET', firstLink);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.body, /Accept this slot/);
    assert.match(page.body, /Erik Engineer/);
    assert.equal((await sut.call(operator, 'GET', `/requests/${requestId}`)).body.live.steps.slot.partnerAcceptedAt, undefined);

    // The customer accepts: the slot still waits for the partner, and says so.
    const customerAccepts = await sut.call(customer, 'POST', `/requests/${requestId}/slot-acceptance`, {});
    assert.deepEqual([customerAccepts.status, customerAccepts.body.status], [200, 'scheduling']);
    const waiting = await sut.call(customer, 'GET', `/requests/${requestId}`);
    assert.deepEqual(waiting.body.waitingFor, ['partner']);
    assert.equal(waiting.body.live.steps.slot.status, 'proposed');

    // A new proposal: the first link no longer accepts anything, its page says why.
    assert.equal((await propose(16, { kind: 'partner', partnerContact: PARTNER })).status, 200);
    const secondLink = await mailedLink(requestId, 2);
    assert.notEqual(secondLink, firstLink);
    const stale = await sut.call(undefined, 'POST', firstLink, {});
    assert.equal(stale.status, 409);
    assert.match(stale.body.message, /for proposal 1, not the current one/);
    assert.match((await sut.call(undefined, 'GET', firstLink)).body, /This link is for an earlier proposal/);

    // Unknown tokens: the same 404 as a page and as an action.
    const unknown = await sut.call(undefined, 'POST', '/partner/slot-acceptance/muslot_not-a-token', {});
    assert.deepEqual([unknown.status, unknown.body.message], [404, 'no such acceptance link']);
    assert.equal((await sut.call(undefined, 'GET', '/partner/slot-acceptance/muslot_not-a-token')).status, 404);
    assert.equal((await sut.call(undefined, 'POST', secondLink, 'proposal=1', { 'content-type': 'application/x-www-form-urlencoded' })).status, 415);

    // The partner accepts with the current link (as the page's button does); the customer must accept the new slot again.
    const partnerAccepts = await sut.call(undefined, 'POST', secondLink, {});
    assert.deepEqual([partnerAccepts.status, partnerAccepts.body.status], [200, 'scheduling'], JSON.stringify(partnerAccepts.body));
    const twice = await sut.call(undefined, 'POST', secondLink, {});
    assert.deepEqual([twice.status, twice.body.message], [409, 'the partner Paula Partner has accepted this slot already']);
    assert.match((await sut.call(undefined, 'GET', secondLink)).body, /You have accepted this slot\. It is agreed once the customer has accepted it too/);
    const agreed = await sut.call(customer, 'POST', `/requests/${requestId}/slot-acceptance`, {});
    assert.deepEqual([agreed.status, agreed.body.status], [200, 'pre-checks']);
    assert.match((await sut.call(undefined, 'GET', secondLink)).body, /The slot is agreed/);

    // The audit trail names the partner by address; only hashes of the links are stored.
    const detail = await sut.call(operator, 'GET', `/requests/${requestId}`);
    const accepted = detail.body.timeline.find((e: { action: string }) => e.action === 'slot-accepted-by-partner');
    assert.deepEqual([accepted.actor, accepted.role], [PARTNER.email, 'partner']);
    const token = secondLink.split('/').pop()!;
    const rows: Array<{ token_hash: string }> = await sut.h.db.dataSource.query('SELECT token_hash FROM slot_acceptance_links WHERE request_id = $1', [requestId]);
    assert.ok(rows.some((r) => r.token_hash === hashToken(token)));
    assert.ok(rows.every((r) => !r.token_hash.includes('muslot_')));
    assert.deepEqual((await historyFacts(sut.h.env.client.workflow.getHandle(`update-request-${requestId}`))).acceptedUpdates,
      ['proposeSlot', 'acceptSlot', 'proposeSlot', 'acceptSlotAsPartner', 'acceptSlot']);

    // Who carried a host step out is checked at the edge for its shape.
    const badStep = await sut.call(operator, 'POST', `/requests/${requestId}/hosts/${body.targets[0].name}/steps`,
      { step: 'install', passed: true, notes: 'n', carriedOutBy: 'the partner alone' });
    assert.equal(badStep.status, 400);
    assert.ok(badStep.body.message.some((m: string) => m.startsWith('carriedOutBy must be one of')), JSON.stringify(badStep.body));
  });
});
