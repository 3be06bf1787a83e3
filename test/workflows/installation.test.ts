import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  decideHostFailureUpdate,
  rejectUpdateUpdate,
  resolveRejectionUpdate,
  signOffUpdate,
  type UpdateRequest,
} from '../../workflows/update-request.contract';
import { customerOf, historyFacts, operator, UpdateHarness } from '../support/update-harness';
import { completeAllHosts, completeHost, recordStep, submitAndReachSlot } from './request-driver';

const HOUR_MS = 3_600_000;

describe('managed update: installation, sign-off and rollback', () => {
  let h: UpdateHarness;
  beforeEach(async () => { h = await UpdateHarness.start(); });
  afterEach(async () => { await h?.stop(); });

  const farm = (suffix: string): Partial<UpdateRequest> => ({
    clientUpdateIncluded: true,
    targets: [
      { name: `app-${suffix}`, kind: 'application-server' },
      ...[1, 2, 3].map((n) => ({ name: `rds-${suffix}-${n}`, kind: 'client-host' as const })),
    ],
  });

  it('updates the server, then a farm of 3 client hosts one at a time, in a small history', async () => {
    const request = await h.request(farm(`f${Date.now()}`));
    const { handle } = await submitAndReachSlot(h, request);
    let state = await h.until(handle, (s) => s.hosts.length === 1, 'the server to start');
    assert.equal(state.snapshots.length, 4, 'server and every client host are snapshotted');
    for (let i = 0; i < 4; i++) {
      state = await h.until(handle, (s) => s.hosts[i]?.status === 'running', `host ${i + 1}`);
      assert.equal(state.hosts.filter((x) => x.status === 'running').length, 1, 'one host at a time');
      assert.equal(state.hosts[i].target, request.targets[i].name, 'servers first, then clients in order');
      await completeHost(h, state.hosts[i].workflowId, state.hosts[i].target);
    }
    state = await h.untilStatus(handle, 'functional-testing');
    assert.deepEqual(state.hosts.map((x) => x.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    assert.equal((await handle.result()).outcome, 'signed-off');
    const { events } = await historyFacts(handle);
    assert.ok(events < 1000, `a farm of 3 stays well under 1,000 events (${events})`);
    assert.equal((await h.state(handle)).timeline.filter((e) => e.action === 'technical-test-passed').length, 4);
  });

  it('retries a failed step, then rolls back on a second failure and restores every snapshot', async () => {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    await recordStep(h, host.workflowId, host.target, 'install', false);
    // The step reaches the request's audit trail as it happens, long before the host finishes.
    const audited = await h.untilAudited(request.requestId, 'install-failed');
    assert.deepEqual([audited.actor, audited.evidence.target], [operator.id, host.target]);
    const child = h.env.client.workflow.getHandle(host.workflowId);
    await child.executeUpdate(decideHostFailureUpdate, { args: [{ actor: operator, target: host.target, decision: 'retry', reason: 'installer cache was stale' }] });
    await recordStep(h, host.workflowId, host.target, 'install');
    await recordStep(h, host.workflowId, host.target, 'configure');
    await recordStep(h, host.workflowId, host.target, 'technical-test', false);
    await child.executeUpdate(decideHostFailureUpdate, { args: [{ actor: operator, target: host.target, decision: 'rollback', reason: 'event log full of errors' }] });

    assert.equal((await handle.result()).outcome, 'rolled-back');
    const state = await h.state(handle);
    assert.equal(state.status, 'rolled-back');
    assert.equal(state.hosts[0].failure?.step, 'technical-test');
    assert.ok(state.timeline.some((e) => e.action === 'snapshots-restored'));
    assert.ok(state.timeline.some((e) => e.action === 'install-failed') && state.timeline.some((e) => e.action === 'failure-retry'));
    assert.equal(state.snapshots[0].status, 'deleted', 'restored snapshots are still deleted after retention');
  });

  it('takes a rejected sign-off back to the operator, re-installs the named target, then signs off', async () => {
    const request = await h.request(farm(`r${Date.now()}`));
    const customer = customerOf(request.customerId);
    const { handle } = await submitAndReachSlot(h, request);
    await completeAllHosts(h, handle, 4);
    await handle.executeUpdate(rejectUpdateUpdate, { args: [{ actor: customer, description: 'reports print blank on rds-2' }] });
    let state = await h.until(handle, (s) => s.pendingActions.some((a) => a.update === 'resolveRejection'), 'the operator to decide');
    assert.match(await h.refusal(handle, signOffUpdate, { actor: customer }), /being handled by operations/);
    const again = request.targets[2].name;
    await handle.executeUpdate(resolveRejectionUpdate, { args: [{ actor: operator, decision: 'fix', targets: [again], reason: 'printer driver missing' }] });
    state = await h.until(handle, (s) => s.hosts.length === 5 && s.hosts[4].status === 'running', 'round 2');
    assert.equal(state.hosts[4].target, again);
    assert.equal(state.hosts[4].round, 2);
    await completeHost(h, state.hosts[4].workflowId, again);
    await h.untilStatus(handle, 'functional-testing');
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customer, notes: 'printing works' }] });
    assert.equal((await handle.result()).outcome, 'signed-off');
    const mail = await h.mailbox.waitForMatch((m) => m.messageId?.includes(`${request.requestId}.sign-off-rejected`) ?? false);
    assert.match(JSON.stringify(mail.to), /operations@provider\.test/);
  });

  it('reminds the customer and escalates to operations without ever signing off by itself', async () => {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    let state = await completeAllHosts(h, handle, 1);
    await h.skip(25 * HOUR_MS);
    state = await h.until(handle, (s) => s.signOff?.remindersSent === 1, 'the first reminder');
    assert.equal(state.signOff?.escalatedAt, undefined);
    await h.skip(100 * HOUR_MS);
    state = await h.until(handle, (s) => s.signOff?.escalatedAt !== undefined, 'the escalation');
    assert.equal(state.status, 'functional-testing', 'silence never signs off');
    assert.equal(state.signOff?.signedOffAt, undefined);
    assert.ok(state.signOff!.remindersSent >= 5);
    const escalation = await h.mailbox.waitForMatch((m) => m.messageId?.includes(`${request.requestId}.step-overdue.sign-off`) ?? false);
    assert.match(JSON.stringify(escalation.to), /operations@provider\.test/);
    await handle.terminate('test done');
  });
});
