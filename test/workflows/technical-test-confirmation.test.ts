import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SimulatedSessionProvider } from '../../activities/session-provider';
import {
  confirmTechnicalTestUpdate, decideHostFailureUpdate, recordHostStepUpdate, type ConfirmTechnicalTest,
} from '../../workflows/update-request.contract';
import { auditor, customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';
import { recordStep, submitAndReachSlot } from './request-driver';

/**
 * The confirmation of an automated technical test, with a session provider that checks hosts
 * itself (simulated here: its test always passes): what the host accepts at each point, and every
 * refusal with its reason and without a trace in history.
 */
describe('confirming an automated technical test', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start({ sessionProvider: new SimulatedSessionProvider(() => 0, true) }); });
  afterEach(async () => { await h?.stop(); });

  it('is refused until a passed test waits for it, and only from an operator with text notes on this host', async () => {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    const child = h.env.client.workflow.getHandle(host.workflowId);
    const confirm = (cmd: Partial<ConfirmTechnicalTest>) => h.refusal(child, confirmTechnicalTestUpdate, { actor: operator, target: host.target, ...cmd } as ConfirmTechnicalTest);

    assert.equal(await confirm({}), `no automated technical test on ${host.target} is waiting for confirmation`);
    await recordStep(h, host.workflowId, host.target, 'install');
    await recordStep(h, host.workflowId, host.target, 'configure');
    const passed = await h.untilHost(host.workflowId, (s) => s.automatedTest?.status === 'passed', 'the automated test to pass');
    assert.deepEqual(passed.pendingActions.map((a) => a.update), ['confirmTechnicalTest']);
    assert.ok(passed.timeline.some((e) => e.action === 'technical-test-passed' && e.actor === 'system'));

    // A host workflow does not know the tenant, so a customer is turned away as for another customer's request.
    assert.equal(await confirm({ actor: customerOf(request.customerId) }), 'this request belongs to another customer');
    assert.equal(await confirm({ actor: auditor }), 'role auditor may not do this; allowed: operator');
    assert.equal(await confirm({ target: 'app-elsewhere' }), `this workflow updates ${host.target}, not app-elsewhere`);
    assert.equal(await confirm({ notes: 42 as unknown as string }), 'notes must be text');
    assert.equal(await confirm({ notes: 'x'.repeat(4001) }), 'notes is longer than 4000 characters');
    assert.equal(await h.refusal(child, recordHostStepUpdate, {
      actor: operator, target: host.target, step: 'technical-test', passed: true, notes: 'typed',
      checklist: { applicationStarts: true, servicesRunning: true, eventLogClean: true },
    }), `the automated technical test on ${host.target} passed: confirm it`);
    assert.equal(await h.refusal(child, decideHostFailureUpdate, { actor: operator, target: host.target, decision: 'rollback', reason: 'r' }),
      'no failed step is waiting for a decision');

    // Notes are optional: a bare confirmation records the pass as the engineer's, carried out by the engineer (no partner here).
    const receipt = await child.executeUpdate(confirmTechnicalTestUpdate, { args: [{ actor: operator, target: host.target }] });
    assert.deepEqual([receipt.currentStep, receipt.pendingActions], [undefined, []]);
    const state = await h.untilStatus(handle, 'functional-testing');
    const confirmed = state.timeline.find((e) => e.action === 'technical-test-confirmed')!;
    assert.deepEqual([confirmed.actor, confirmed.evidence], [operator.id, { attempt: 1, carriedOutBy: 'engineer' }]);
    assert.ok(state.timeline.some((e) => e.step === 'user-activity' && e.action === 'no-active-users' && e.actor === 'system'));
    assert.deepEqual((await historyFacts(child)).acceptedUpdates, ['recordHostStep', 'recordHostStep', 'confirmTechnicalTest']);
  });
});
