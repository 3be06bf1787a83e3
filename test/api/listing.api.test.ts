import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, type Caller } from './api-harness';

const DAY_MS = 86_400_000;

describe('API: listing requests with filters and pages, from the read model', () => {
  let sut: ApiHarness;
  let acme: Caller;
  let globex: Caller;
  let operator: Caller;
  let auditor: Caller;
  /** acme's requests in submission order; a3 is short notice and gets a slot within days. */
  let a: Array<{ requestId: string; submittedAt: string }>;
  let g1: string;

  before(async () => {
    sut = await ApiHarness.start();
    acme = await sut.customer('acme');
    globex = await sut.customer('globex');
    operator = await sut.staff('operator', 'olga');
    auditor = await sut.staff('auditor', 'ada');
    const software = (name: string) => ({ software: { name, vendor: 'V', currentVersion: '1', targetVersion: '2' } });
    const plan = [[software('Abacus ERP'), 21], [software('Ledger Pro'), 21], [software('ABACUS Payroll'), 3], [software('Mail Server'), 21],
      [software('Mail Server'), 21]] as const;
    a = [];
    for (const [overrides, days] of plan) {
      const res = await sut.call(acme, 'POST', '/requests', await sut.submission(overrides, days));
      assert.equal(res.status, 201);
      a.push(res.body);
    }
    g1 = (await sut.submit(globex, software('Abacus ERP'))).requestId;

    // a2: a slot proposed, so it waits for the customer.
    const a2 = await sut.untilStatus(operator, a[1].requestId, 'scheduling');
    const later = sut.h.supportSlotAfter(new Date(Date.parse(a2.submittedAt) + 15 * DAY_MS));
    assert.equal((await sut.call(operator, 'POST', `/requests/${a[1].requestId}/slot-proposals`, { ...later, engineer: 'Erik' })).status, 200);
    // a3: short notice accepted, a slot in a few days agreed; now in pre-checks.
    await sut.untilStatus(operator, a[2].requestId, 'lead-time-review');
    assert.equal((await sut.call(operator, 'POST', `/requests/${a[2].requestId}/short-notice-decision`, { decision: 'accept', reason: 'capacity' })).status, 200);
    await sut.untilStatus(operator, a[2].requestId, 'scheduling');
    const soon = sut.h.supportSlotAfter(new Date((await sut.h.now()).getTime() + 2 * DAY_MS));
    assert.equal((await sut.call(operator, 'POST', `/requests/${a[2].requestId}/slot-proposals`, { ...soon, engineer: 'Erik' })).status, 200);
    await sut.until(acme, a[2].requestId, (d) => d.waitingFor.includes('customer'), 'the proposal');
    assert.equal((await sut.call(acme, 'POST', `/requests/${a[2].requestId}/slot-acceptance`, {})).status, 200);
    await sut.untilStatus(operator, a[2].requestId, 'pre-checks');
    for (const r of [a[0], a[3], a[4]]) await sut.untilStatus(operator, r.requestId, 'scheduling');
    await sut.until(acme, a[1].requestId, (d) => d.waitingFor.includes('customer'), 'a2 waiting for the customer');
    await sut.untilStatus(globex, g1, 'scheduling');
  });
  after(async () => { await sut?.stop(); });

  const ids = async (caller: Caller, query: string): Promise<string[]> => {
    const res = await sut.call(caller, 'GET', `/requests${query}`);
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    return res.body.items.map((r: { requestId: string }) => r.requestId);
  };
  const acmeIds = (...indexes: number[]) => indexes.map((i) => a[i].requestId);

  it("pages through a customer's own requests, newest first, without gaps or repeats", async () => {
    const pages = [];
    for (const page of [1, 2, 3]) {
      const res = await sut.call(acme, 'GET', `/requests?pageSize=2&page=${page}`);
      assert.deepEqual([res.body.total, res.body.page, res.body.pageSize], [5, page, 2]);
      pages.push(res.body.items.map((r: { requestId: string }) => r.requestId));
    }
    assert.deepEqual(pages, [acmeIds(4, 3), acmeIds(2, 1), acmeIds(0)]);
    assert.deepEqual(await ids(acme, '?pageSize=2&page=4'), []);
  });

  it('filters by status, software (case-insensitive part) and customer', async () => {
    assert.deepEqual(await ids(operator, '?status=pre-checks'), acmeIds(2));
    assert.deepEqual(await ids(acme, '?software=abacus'), acmeIds(2, 0));
    assert.deepEqual(await ids(auditor, '?software=abacus'), [g1, ...acmeIds(2, 0)]);
    assert.deepEqual(await ids(operator, '?customerId=globex'), [g1]);
    // A customer's list stays its own whatever it asks for.
    assert.deepEqual(await ids(globex, '?customerId=acme'), [g1]);
  });

  it('filters by submission date range (from inclusive, to exclusive)', async () => {
    assert.deepEqual(await ids(acme, `?submittedFrom=${encodeURIComponent(a[3].submittedAt)}`), acmeIds(4, 3));
    assert.deepEqual(await ids(acme, `?submittedTo=${encodeURIComponent(a[1].submittedAt)}`), acmeIds(0));
    assert.deepEqual(await ids(acme, `?submittedFrom=${encodeURIComponent(a[1].submittedAt)}&submittedTo=${encodeURIComponent(a[3].submittedAt)}`),
      acmeIds(2, 1));
  });

  it('lists what waits for the caller, by priority then the nearest deadline, and what starts within 14 days', async () => {
    // All of priority 3 (major): the slot proposals, each due 48 h after its request reached
    // scheduling, come before the pre-checks of a slot more than two days away. Which request reached
    // scheduling first is up to the worker, so their order is read from their own deadlines.
    const queue = await sut.call(operator, 'GET', '/requests?waitingForMe=true');
    const items: Array<{ requestId: string; priority: { rank: number }; nextDeadline: string }> = queue.body.items;
    assert.deepEqual(items.map((r) => r.requestId).sort(), [...acmeIds(0, 3, 4, 2), g1].sort());
    assert.ok(items.every((r) => r.priority.rank === 3 && r.nextDeadline), JSON.stringify(items));
    const deadlines = items.map((r) => Date.parse(r.nextDeadline));
    assert.deepEqual(deadlines, [...deadlines].sort((x, y) => x - y), 'nearest deadline first');
    assert.equal(items.at(-1)?.requestId, a[2].requestId);
    assert.deepEqual(await ids(acme, '?waitingForMe=true'), acmeIds(1));
    assert.deepEqual(await ids(auditor, '?waitingForMe=true'), []);
    assert.deepEqual(await ids(operator, '?upcoming=true'), acmeIds(2));
  });

  it('refuses bad filters with 400, one message per parameter', async () => {
    const res = await sut.call(operator, 'GET', '/requests?pageSize=500&status=bogus&upcoming=maybe');
    assert.equal(res.status, 400);
    assert.deepEqual([...res.body.message].sort(), [
      'pageSize must not be greater than 100',
      `status must be one of the following values: ${['intake', 'lead-time-review', 'downgrade-review', 'scheduling', 'pre-checks', 'waiting-for-slot', 'snapshots',
        'user-activity', 'installation', 'rollback', 'functional-testing', 'snapshot-retention', 'snapshot-deletion', 'completed', 'rolled-back',
        'aborted', 'cancelled', 'declined'].join(', ')}`,
      'upcoming must be a boolean value',
    ]);
  });
});
