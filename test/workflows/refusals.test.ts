import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  acceptSlotUpdate,
  cancelRequestUpdate,
  extendRetentionUpdate,
  proposeSlotUpdate,
  recordHostStepUpdate,
  recordPreCheckUpdate,
  signOffUpdate,
} from '../../workflows/update-request.contract';
import { auditor, customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';
import { agreeSlot, recordStep, submitAndReachSlot } from './request-driver';

describe('managed update: illegal actions', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  it('refuses every illegal action with a reason and keeps all of them out of history', async () => {
    const request = await h.request();
    const customer = customerOf(request.customerId);
    const stranger = customerOf('another-customer');
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * 86_400_000));
    const refusals = [
      [await h.refusal(handle, signOffUpdate, { actor: customer }), /not waiting for functional tests/], // wrong step
      [await h.refusal(handle, proposeSlotUpdate, { actor: customer, ...slot, engineer: 'Erik' }), /role customer may not/], // wrong role
      [await h.refusal(handle, proposeSlotUpdate, { actor: auditor, ...slot, engineer: 'Erik' }), /role auditor may not/], // auditors change nothing
      [await h.refusal(handle, proposeSlotUpdate, { actor: operator, ...slot, engineer: '' }), /engineer is required/], // missing data
      [await h.refusal(handle, cancelRequestUpdate, { actor: stranger, reason: 'x' }), /belongs to another customer/], // other tenant
      [await h.refusal(handle, extendRetentionUpdate, { actor: operator, days: 3, reason: 'audit' }), /not in retention/],
    ] as const;
    for (const [reason, expected] of refusals) assert.match(reason, expected);

    await agreeSlot(h, handle, request);
    assert.match(await h.refusal(handle, acceptSlotUpdate, { actor: customer }), /no proposed slot/);
    assert.match(await h.refusal(handle, recordPreCheckUpdate, { actor: operator, check: 'compatibility', passed: true, notes: '' }), /notes is required/);
    assert.deepEqual((await historyFacts(handle)).acceptedUpdates, ['proposeSlot', 'acceptSlot']);
    await handle.terminate('test done');
  });

  it('refuses host steps out of order, for another target or without evidence', async () => {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    const child = h.env.client.workflow.getHandle(host.workflowId);
    const step = { actor: operator, target: host.target, passed: true, notes: 'done' };
    assert.match(await h.refusal(child, recordHostStepUpdate, { ...step, step: 'configure' }), /next step on .* is install, not configure/);
    assert.match(await h.refusal(child, recordHostStepUpdate, { ...step, step: 'install', target: 'some-other-vm' }), /not some-other-vm/);
    await recordStep(h, host.workflowId, host.target, 'install');
    await recordStep(h, host.workflowId, host.target, 'configure');
    assert.match(await h.refusal(child, recordHostStepUpdate, { ...step, step: 'technical-test' }), /needs its checklist/);
    assert.match(await h.refusal(child, recordHostStepUpdate, { ...step, step: 'technical-test',
      checklist: { applicationStarts: true, servicesRunning: false, eventLogClean: true } }), /cannot pass with an unchecked item/);
    assert.deepEqual((await historyFacts(child)).acceptedUpdates, ['recordHostStep', 'recordHostStep']);
    await handle.terminate('test done');
  });
});
