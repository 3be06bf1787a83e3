import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decideDowngradeUpdate } from '../../workflows/update-request.contract';
import { customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';

describe('managed update: a declared downgrade waits for an operator', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  const downgrade = () => h.request({
    software: { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2025.2', targetVersion: '2024.1' },
    downgrade: { reason: '2025.2 breaks the payroll export' },
  });

  it('goes on to scheduling once an operator approves, and only an operator may', async () => {
    const request = await downgrade();
    const handle = await h.submit(request);
    let state = await h.untilStatus(handle, 'downgrade-review');
    assert.deepEqual(state.pendingActions.map((a) => [a.update, a.roles]), [['decideDowngrade', ['operator']], ['cancelRequest', ['customer', 'operator']]]);
    assert.match(await h.refusal(handle, decideDowngradeUpdate, { actor: customerOf(request.customerId), decision: 'approve', reason: 'x' }), /role customer may not/);
    assert.match(await h.refusal(handle, decideDowngradeUpdate, { actor: operator, decision: 'maybe' as 'approve', reason: 'x' }), /decision/);
    assert.match(await h.refusal(handle, decideDowngradeUpdate, { actor: operator, decision: 'approve', reason: '' }), /reason is required/);
    await handle.executeUpdate(decideDowngradeUpdate, { args: [{ actor: operator, decision: 'approve', reason: 'vendor confirms 2024.1 reads the data' }] });
    state = await h.untilStatus(handle, 'scheduling');
    assert.deepEqual(state.downgradeReview, { decision: 'approved', by: operator.id, reason: 'vendor confirms 2024.1 reads the data' });
    assert.ok(state.timeline.some((e) => e.action === 'downgrade-approved' && e.actor === operator.id));
    assert.deepEqual((await historyFacts(handle)).acceptedUpdates, ['decideDowngrade']);
    assert.match(await h.refusal(handle, decideDowngradeUpdate, { actor: operator, decision: 'refuse', reason: 'again' }), /no downgrade is waiting for approval/);
  });

  it('declines the request and tells the customer why when the operator refuses', async () => {
    const request = await downgrade();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'downgrade-review');
    await handle.executeUpdate(decideDowngradeUpdate, { args: [{ actor: operator, decision: 'refuse', reason: '2024.1 cannot read the 2025 database' }] });
    assert.equal((await handle.result()).outcome, 'declined');
    const mail = await h.mailbox.waitForMatch((m) => m.messageId === `<${request.requestId}.downgrade-refused.review@managed-updates>`);
    assert.equal(mail.subject, 'Downgrade not approved, request declined: Abacus ERP 2024.1');
    assert.match(mail.text ?? '', /^Reason: 2024\.1 cannot read the 2025 database$/m);
  });

  it('does not stop a request without a downgrade', async () => {
    const handle = await h.submit(await h.request());
    const state = await h.untilStatus(handle, 'scheduling');
    assert.equal(state.downgradeReview, undefined);
  });
});
