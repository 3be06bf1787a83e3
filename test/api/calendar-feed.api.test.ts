import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashToken } from '../../api/auth/secret-tokens';
import { calendarOf } from '../support/calendar';
import { ApiHarness, type Caller } from './api-harness';

const DAY_MS = 86_400_000;
const PUBLIC_ORIGIN = 'https://updates.example';

// ical.js (Mozilla's iCalendar parser) ships CommonJS beside its ES module; its types describe the latter.
type Ical = typeof import('ical.js', { with: { 'resolution-mode': 'import' } }).default;
const ICAL: Ical = require('ical.js');

/** The events of an iCalendar text as ical.js reads it: uid, start and end (ISO, UTC), summary. */
function eventsOf(text: string): Array<{ uid: string; start: string; end: string; summary: string }> {
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, 'vcalendar');
  assert.equal(calendar.getFirstPropertyValue('method'), null, 'a feed is no scheduling message');
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return { uid: event.uid, start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString(), summary: event.summary };
  });
}

describe("API: a customer's calendar feed, over HTTP on the real stack", () => {
  let sut: ApiHarness;
  let acme: Caller & { customerId: string };
  let globex: Caller & { customerId: string };
  let operator: Caller;
  let auditor: Caller;
  /** acme's request whose slot is agreed, and the slot. */
  let agreed: { requestId: string; start: string; end: string };
  /** acme's request whose slot is only proposed. */
  let proposed: string;
  let globexAgreed: string;

  const act = async (caller: Caller, path: string, body: unknown) => {
    const res = await sut.call(caller, 'POST', path, body);
    assert.equal(res.status, 200, `${caller.name} POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  /** Submits for `customer` and proposes a support-hours slot `days` after now; accepted when `accept`. */
  async function scheduled(customer: Caller, days: number, accept: boolean): Promise<{ requestId: string; start: string; end: string }> {
    const { requestId } = await sut.submit(customer);
    await sut.untilStatus(operator, requestId, 'scheduling');
    const slot = sut.h.supportSlotAfter(new Date((await sut.h.now()).getTime() + days * DAY_MS));
    await act(operator, `/requests/${requestId}/slot-proposals`, { ...slot, engineer: 'Erik Engineer' });
    await sut.until(customer, requestId, (d) => d.waitingFor.includes('customer'), 'the proposal');
    if (accept) {
      await act(customer, `/requests/${requestId}/slot-acceptance`, {});
      await sut.untilStatus(operator, requestId, 'pre-checks');
    }
    return { requestId, start: slot.start, end: new Date(Date.parse(slot.start) + slot.durationMinutes * 60_000).toISOString() };
  }

  const issue = (caller: Caller, customerId: string) => sut.call(caller, 'POST', `/customers/${customerId}/calendar-feed`, {});
  /** The feed at a URL the API handed out, fetched as a calendar program would: no API key. */
  const fetchFeed = (url: string) => sut.call(undefined, 'GET', new URL(url).pathname);

  before(async () => {
    sut = await ApiHarness.start({}, { CONSOLE_URL: PUBLIC_ORIGIN });
    acme = await sut.customer('acme');
    globex = await sut.customer('globex');
    operator = await sut.staff('operator', 'olga');
    auditor = await sut.staff('auditor', 'ada');
    agreed = await scheduled(acme, 15, true);
    proposed = (await scheduled(acme, 17, false)).requestId;
    globexAgreed = (await scheduled(globex, 19, true)).requestId;
  });
  after(async () => { await sut?.stop(); });

  it("lists the customer's agreed slots, under the UID of the invitation mailed for the same slot, and stores only the token's hash", async () => {
    const issued = await issue(operator, 'acme');
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const token = /\/calendar\/(mucal_[\w-]{43})\.ics$/.exec(issued.body.url)?.[1];
    assert.ok(token, issued.body.url);
    assert.ok(issued.body.url.startsWith(`${PUBLIC_ORIGIN}/calendar/`), issued.body.url);

    const feed = await fetchFeed(issued.body.url);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar; charset=utf-8/);
    const events = eventsOf(feed.body);
    assert.deepEqual(events.map((e) => [e.uid, e.start, e.end]), [[`${agreed.requestId}@managed-updates`, agreed.start, agreed.end]],
      `only the agreed slot; not ${proposed} (proposed) nor ${globexAgreed} (another customer's)`);
    assert.match(events[0].summary, /^Update of .+ to .+ \(do not use the software\)$/);

    const invitation = await sut.h.mailbox.waitForMatch((m) => calendarOf(m)?.uid?.startsWith(agreed.requestId) === true);
    assert.equal(calendarOf(invitation)!.uid, events[0].uid, 'the mailed invitation and the feed are one event to a calendar');

    const stored: Array<{ token_hash: string; issued_by: string }> = await sut.h.db.dataSource.query(`SELECT token_hash, issued_by FROM calendar_feeds`);
    assert.deepEqual(stored, [{ token_hash: hashToken(token), issued_by: 'olga' }]);
    assert.ok(!JSON.stringify(await sut.h.db.dataSource.query(`SELECT * FROM calendar_feeds`)).includes(token), 'the token itself is not stored');
  });

  it("never shows another customer's slots, and lets a customer issue its own feed only", async () => {
    const own = await issue(globex, 'globex');
    assert.equal(own.status, 201, JSON.stringify(own.body));
    assert.deepEqual(eventsOf((await fetchFeed(own.body.url)).body).map((e) => e.uid), [`${globexAgreed}@managed-updates`]);

    const foreign = await issue(globex, 'acme');
    assert.deepEqual([foreign.status, foreign.body.message], [404, 'customer acme not found'], 'the same answer as for no such customer');
    const missing = await issue(operator, 'initech');
    assert.deepEqual([missing.status, missing.body.message], [404, 'customer initech not found']);
    assert.equal((await issue(auditor, 'acme')).status, 403);
    assert.equal((await sut.call(globex, 'DELETE', '/customers/acme/calendar-feed')).status, 404);
  });

  it('refuses a revoked or replaced token with the same 404 as a token never issued', async () => {
    const first = await issue(operator, 'acme');
    const second = await issue(acme, 'acme');
    assert.equal(second.status, 201);
    assert.notEqual(second.body.url, first.body.url);
    const unknown = await sut.call(undefined, 'GET', '/calendar/mucal_never-issued.ics');
    assert.deepEqual([unknown.status, unknown.body.message], [404, 'no such calendar feed']);
    assert.deepEqual((await fetchFeed(first.body.url)).body, unknown.body, 'issuing a new URL revokes the old one');
    assert.equal((await fetchFeed(second.body.url)).status, 200);

    const revoked = await sut.call(acme, 'DELETE', '/customers/acme/calendar-feed');
    assert.deepEqual([revoked.status, revoked.body.customerId, revoked.body.issuedBy], [200, 'acme', 'acme.it-lead']);
    assert.deepEqual((await fetchFeed(second.body.url)).body, unknown.body);
    const again = await sut.call(operator, 'DELETE', '/customers/acme/calendar-feed');
    assert.deepEqual([again.status, again.body.message], [404, 'customer acme has no calendar feed']);
  });
});
