import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { decideDowngradeUpdate, proposeSlotUpdate } from '../../workflows/update-request.contract';
import { recipientsOf } from '../support/calendar';
import { operator, UpdateHarness } from '../support/update-harness';

const HOUR_MS = 3_600_000;
/** Whole hours from submission to a deadline (the workflow starts a moment after submission). */
const hoursBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / HOUR_MS);
const ON_CALL = { email: 'on-call@provider.test', severities: ['blocker' as const, 'high' as const] };

describe('managed update: severity, priority and response times', () => {
  let h: UpdateHarness;
  afterEach(async () => { await h?.stop(); });

  it('gives a blocker 4 h for the short-notice decision and a minor request 120 h, with priority and track in the state', async () => {
    h = await UpdateHarness.start({ onCall: ON_CALL });
    const blocker = await h.request({ severity: 'blocker' }, 5);
    const minor = await h.request({ severity: 'minor' }, 5);
    const [blockerHandle, minorHandle] = await Promise.all([h.submit(blocker), h.submit(minor)]);
    const blockerState = await h.untilStatus(blockerHandle, 'lead-time-review');
    const minorState = await h.untilStatus(minorHandle, 'lead-time-review');

    assert.equal(hoursBetween(blocker.submittedAt, blockerState.leadTime!.decideBy!), 4);
    assert.equal(hoursBetween(minor.submittedAt, minorState.leadTime!.decideBy!), 120);
    assert.deepEqual(blockerState.priority, { rank: 1, severity: 'blocker', track: 'next-service-pack' });
    assert.deepEqual(minorState.priority, { rank: 4, severity: 'minor', track: 'next-minor-release' });
    assert.deepEqual(blockerState.policy?.responseHours, { blocker: 4, high: 24, major: 48, minor: 120 });

    // Operations' review request goes on call for the blocker only, and names the priority.
    const review = (r: typeof blocker) => h.mailbox.waitForMatch((m) => m.messageId?.startsWith(`<${r.requestId}.short-notice-review.`) ?? false);
    const [blockerReview, minorReview] = await Promise.all([review(blocker), review(minor)]);
    assert.deepEqual(recipientsOf(blockerReview).sort(), ['on-call@provider.test', 'operations@provider.test']);
    assert.deepEqual(recipientsOf(minorReview), ['operations@provider.test']);
    assert.match(blockerReview.text ?? '', /^Priority: 1 \(next service pack\)$/m);
    assert.match(minorReview.text ?? '', /^Priority: 4 \(next minor release\)$/m);

    // Past 4 h the blocker is declined for want of a decision; the minor one still waits.
    await h.skip(5 * HOUR_MS);
    assert.equal((await blockerHandle.result()).outcome, 'declined');
    assert.equal((await h.state(minorHandle)).status, 'lead-time-review');
    await minorHandle.terminate('test done');
  });

  it('a critical security fix counts as blocker whatever its severity', async () => {
    h = await UpdateHarness.start();
    const patch = await h.request({ category: 'security', severity: 'minor', criticalSecurity: true }, 2);
    const handle = await h.submit(patch);
    const state = await h.untilStatus(handle, 'lead-time-review');
    assert.deepEqual(state.priority, { rank: 1, severity: 'blocker', track: 'next-service-pack' });
    assert.equal(hoursBetween(patch.submittedAt, state.leadTime!.decideBy!), 4);
    await handle.terminate('test done');
  });

  it('escalates a slot proposal still missing after the response time, once, then goes on waiting', async () => {
    h = await UpdateHarness.start({ onCall: ON_CALL });
    const request = await h.request({ severity: 'high' });
    const handle = await h.submit(request);
    let state = await h.untilStatus(handle, 'scheduling');
    const due = state.pendingActions.find((a) => a.update === 'proposeSlot')?.deadline;
    assert.equal(due, state.respondBy);
    assert.equal(hoursBetween(request.submittedAt, due!), 24);

    await h.skip(25 * HOUR_MS);
    const alert = await h.mailbox.waitForMatch((m) => m.messageId?.startsWith(`<${request.requestId}.step-overdue.scheduling-`) ?? false);
    assert.deepEqual(recipientsOf(alert).sort(), ['on-call@provider.test', 'operations@provider.test']);
    assert.match(alert.text ?? '', /The scheduling step is overdue/);
    state = await h.state(handle);
    assert.equal(state.status, 'scheduling');
    assert.equal(state.timeline.filter((e) => e.action === 'overdue' && e.step === 'scheduling').length, 1);

    // A proposal ends the operators' turn: nothing is due from them any more.
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * 86_400_000));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik' }] });
    state = await h.until(handle, (s) => s.slot?.status === 'proposed' && s.respondBy === undefined, 'proposal recorded');
    await h.skip(48 * HOUR_MS);
    state = await h.state(handle);
    assert.equal(state.timeline.filter((e) => e.action === 'overdue').length, 1, 'the customer\'s turn is not the operators\' to be overdue in');
    await handle.terminate('test done');
  });

  it('escalates a downgrade decision still missing after the response time to operations only for a major request', async () => {
    h = await UpdateHarness.start({ onCall: ON_CALL });
    const request = await h.request({
      severity: 'major',
      software: { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2025.2', targetVersion: '2024.1' },
      downgrade: { reason: '2025.2 breaks the payroll export' },
    });
    const handle = await h.submit(request);
    const state = await h.untilStatus(handle, 'downgrade-review');
    assert.equal(state.pendingActions.find((a) => a.update === 'decideDowngrade')?.deadline, state.respondBy);

    await h.skip(49 * HOUR_MS);
    const alert = await h.mailbox.waitForMatch((m) => m.messageId?.startsWith(`<${request.requestId}.step-overdue.downgrade-`) ?? false);
    assert.deepEqual(recipientsOf(alert), ['operations@provider.test']);
    await handle.executeUpdate(decideDowngradeUpdate, { args: [{ actor: operator, decision: 'approve', reason: 'agreed with the vendor' }] });
    await h.untilStatus(handle, 'scheduling');
    await handle.terminate('test done');
  });
});
