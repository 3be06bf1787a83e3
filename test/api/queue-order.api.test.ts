import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, type Caller } from './api-harness';

describe("API: the operators' queue, by priority then nearest deadline", () => {
  let sut: ApiHarness;
  let customer: Caller & { customerId: string };
  let operator: Caller;

  before(async () => {
    sut = await ApiHarness.start();
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga.operator');
  });
  after(async () => { await sut?.stop(); });

  const queue = async (caller: Caller) => {
    const res = await sut.call(caller, 'GET', '/requests?waitingForMe=true');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items as Array<{ requestId: string; priority: { rank: number; severity: string; track: string }; nextDeadline?: string }>;
  };

  it('puts the most urgent priority first and, within one priority, the nearest deadline', async () => {
    const minor = (await sut.submit(customer, { severity: 'minor' })).requestId;
    const firstMajor = (await sut.submit(customer, { severity: 'major' })).requestId;
    const secondMajor = (await sut.submit(customer, { severity: 'major' })).requestId;
    const critical = (await sut.submit(customer, { severity: 'minor', category: 'security', criticalSecurity: true })).requestId;
    const blocker = (await sut.submit(customer, { severity: 'blocker' })).requestId;
    for (const id of [minor, firstMajor, secondMajor, critical, blocker]) {
      await sut.until(operator, id, (d) => d.status === 'scheduling' && d.nextDeadline !== undefined, `${id} waiting for a slot proposal`);
    }

    // The operator proposes for the first major request and the customer asks for another slot:
    // its new proposal is due later than the second major request's.
    await sut.h.skip(3_600_000);
    const slot = sut.h.supportSlotAfter(new Date(Date.now() + 15 * 86_400_000));
    assert.equal((await sut.call(operator, 'POST', `/requests/${firstMajor}/slot-proposals`, { ...slot, engineer: 'Erik' })).status, 200);
    assert.equal((await sut.call(customer, 'POST', `/requests/${firstMajor}/slot-change-requests`, { reason: 'month-end closing' })).status, 200);
    await sut.until(operator, firstMajor, (d) => d.waitingFor.includes('operator') && d.nextDeadline !== undefined, 'the operators\' turn again');

    const items = await queue(operator);
    assert.deepEqual(items.map((r) => r.requestId), [critical, blocker, secondMajor, firstMajor, minor]);
    assert.deepEqual(items.map((r) => r.priority.rank), [1, 1, 3, 3, 4]);
    assert.deepEqual(items[0].priority, { rank: 1, severity: 'blocker', track: 'next-service-pack' });
    assert.equal(items[4].priority.track, 'next-minor-release');
    assert.ok(Date.parse(items[2].nextDeadline!) < Date.parse(items[3].nextDeadline!));
    // The two blockers started a moment apart; the test server's clock may give them one deadline, and
    // then the older request comes first.
    assert.ok(Date.parse(items[0].nextDeadline!) <= Date.parse(items[1].nextDeadline!), 'the two blockers: the nearer deadline first');

    // Lists other than a queue stay newest first.
    const all = await sut.call(operator, 'GET', '/requests');
    assert.deepEqual(all.body.items.map((r: { requestId: string }) => r.requestId), [blocker, critical, secondMajor, firstMajor, minor]);
    // Nothing waits for the customer.
    assert.deepEqual(await queue(customer), []);
  });
});
