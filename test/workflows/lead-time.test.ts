import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  acceptSlotUpdate,
  decideShortNoticeUpdate,
  proposeSlotUpdate,
} from '../../workflows/update-request.contract';
import { customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';

const DAY_MS = 86_400_000;

describe('managed update: lead time', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  it('marks a request under 14 days as short notice and declines it on the operator\'s word', async () => {
    const request = await h.request({}, 5);
    const handle = await h.submit(request);
    const state = await h.untilStatus(handle, 'lead-time-review');
    assert.equal(state.leadTime?.verdict, 'short-notice');
    assert.equal(state.leadTime?.guaranteed, false);
    assert.deepEqual(state.pendingActions.map((a) => [a.update, a.roles, a.deadline]),
      [['decideShortNotice', ['operator'], state.leadTime?.decideBy], ['cancelRequest', ['customer', 'operator'], undefined]]);

    await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'decline', reason: 'no engineer free' }] });
    assert.equal((await handle.result()).outcome, 'declined');
    assert.equal((await h.state(handle)).status, 'declined');
    const mails = await h.mailbox.waitFor(3);
    assert.ok(mails.some((m) => m.to && JSON.stringify(m.to).includes('clara@customer.test') && /declin/i.test(m.subject ?? '')),
      `a decline mail to the customer: ${mails.map((m) => m.subject).join(' | ')}`);
  });

  it('declines a short-notice request nobody decided on before the deadline', async () => {
    const request = await h.request({}, 5);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    assert.equal((await handle.result()).outcome, 'declined'); // the 48 h deadline of a major request passes in skipped time
    const state = await h.state(handle);
    assert.equal(state.leadTime?.decision, 'timed-out');
    assert.ok(state.timeline.some((e) => e.action === 'short-notice-timed-out' && e.role === 'system'));
  });

  it('accepts short notice as not guaranteed and then allows a slot inside the 14 days', async () => {
    const request = await h.request({}, 5);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'accept', reason: 'engineer available' }] });
    const state = await h.untilStatus(handle, 'scheduling');
    assert.equal(state.leadTime?.decision, 'accepted');
    assert.equal(state.leadTime?.guaranteed, false);
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 4 * DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik' }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    assert.equal((await h.untilStatus(handle, 'pre-checks')).slot?.start, slot.start);
    await handle.terminate('test done');
  });

  it('lets an operator expedite a critical security patch, and only such a patch', async () => {
    const ordinary = await h.request({}, 3);
    const ordinaryHandle = await h.submit(ordinary);
    await h.untilStatus(ordinaryHandle, 'lead-time-review');
    const reason = await h.refusal(ordinaryHandle, decideShortNoticeUpdate, { actor: operator, decision: 'expedite', reason: 'urgent' });
    assert.match(reason, /only critical security patches may be expedited/);
    assert.deepEqual((await historyFacts(ordinaryHandle)).acceptedUpdates, []);
    await ordinaryHandle.terminate('test done');

    const patch = await h.request({ category: 'security', severity: 'blocker', criticalSecurity: true }, 2);
    const handle = await h.submit(patch);
    await h.untilStatus(handle, 'lead-time-review');
    await handle.executeUpdate(decideShortNoticeUpdate, { args: [{ actor: operator, decision: 'expedite', reason: 'CVE-2026-1234 exploited in the wild' }] });
    const state = await h.untilStatus(handle, 'scheduling');
    assert.equal(state.leadTime?.decision, 'expedited');
    assert.equal(state.leadTime?.guaranteed, true);
    const slot = h.supportSlotAfter(new Date(Date.parse(patch.submittedAt) + DAY_MS));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik' }] });
    assert.equal((await h.state(handle)).slot?.status, 'proposed');
    await handle.terminate('test done');
  });
});
