import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import {
  confirmTechnicalTestUpdate, decideHostFailureUpdate, recordHostStepUpdate, reportUserActivityUpdate, resolveUserActivityUpdate, signOffUpdate,
} from '../../workflows/update-request.contract';
import { eventually } from '../support/eventually';
import { RealInfrastructure } from '../support/real-infrastructure';
import { customerOf, historyFacts, operator, type UpdateHarness } from '../support/update-harness';
import { recordStep, submitAndReachSlot } from './request-driver';

const MINUTE_MS = 60_000;

/**
 * The workflow with the real providers: a libvirt daemon holding the target's domain, and an
 * OpenSSH server standing in for the host. The engineer only decides: the machine takes the
 * snapshots, counts the users and runs the technical test, keeping each command as evidence; the
 * engineer confirms a passed test, decides on a failed one, and on a host that cannot be reached.
 */
describe('managed update with SNAPSHOT_PROVIDER=libvirt and SESSION_PROVIDER=ssh', () => {
  let infra: RealInfrastructure;
  let h: UpdateHarness;

  before(async () => { infra = await RealInfrastructure.start(); });
  after(async () => { await infra?.stop(); });
  beforeEach(async () => { h = await infra.harness(); });
  afterEach(async () => { await h?.stop(); });

  it('snapshots for real, waits while a user has the software open, fails the technical test on a stopped service, reverts on rollback and deletes after retention', async () => {
    const request = await infra.newRequest(h);
    const session = await infra.server.openTerminalSession(infra.software.runCommand());
    const { handle } = await submitAndReachSlot(h, request);

    let state = await h.until(handle, (s) => s.userActivity?.customerNotified === true, 'users to be reported active');
    assert.equal(state.userActivity?.activeUsers, 1);
    const snapshotId = `mu-${request.requestId}-round-1`;
    assert.deepEqual(state.snapshots.map((s) => [s.target, s.snapshotId, s.status]), [['app-01', snapshotId, 'present']]);
    assert.deepEqual(await infra.hypervisor.snapshots('app-01'), [snapshotId]);

    session.close();
    await eventually(() => infra.software.isRunning(), (running) => !running, 'the user to leave');
    await h.skip(15 * MINUTE_MS);
    state = await h.until(handle, (s) => s.hosts.length === 1 && s.hosts[0].status === 'running', 'installation after the user left');
    assert.equal(state.userActivity?.activeUsers, 0);

    // The software's service is stopped on purpose: the automated technical test really fails.
    const [host] = state.hosts;
    await recordStep(h, host.workflowId, host.target, 'install');
    await infra.software.stopService();
    try {
      await recordStep(h, host.workflowId, host.target, 'configure');
      const failed = await h.untilHost(host.workflowId, (s) => s.awaitingFailureDecision, 'the failure decision');
      assert.deepEqual(failed.pendingActions.map((a) => a.update), ['decideHostFailure']);
      const verdict = failed.timeline.find((e) => e.action === 'technical-test-failed')!;
      assert.deepEqual([verdict.actor, verdict.evidence.failedChecks], ['system', [`service:${infra.software.serviceName}`]]);
      assert.equal(verdict.evidence[`app-01 service:${infra.software.serviceName}: command`], `pgrep -x '${infra.software.serviceName}'`);
      assert.equal(verdict.evidence[`app-01 service:${infra.software.serviceName}: exit code`], 1);
      assert.equal(verdict.evidence['app-01 application: exit code'], 0);
      await h.env.client.workflow.getHandle(host.workflowId).executeUpdate(decideHostFailureUpdate,
        { args: [{ actor: operator, target: host.target, decision: 'rollback', reason: 'the service does not start' }] });
    } finally {
      infra.software.startService();
    }

    assert.equal((await handle.result()).outcome, 'rolled-back');
    state = await h.state(handle);
    assert.ok(state.timeline.some((e) => e.action === 'snapshots-restored' && e.actor === 'system'));
    assert.equal(state.snapshots[0].status, 'deleted');
    assert.deepEqual(await infra.hypervisor.snapshots('app-01'), [], 'deleted on the hypervisor after retention');
  });

  it('finds the snapshot an attempt took before its worker died, and leaves exactly one', async () => {
    const request = await infra.newRequest(h);
    // What an attempt leaves when its worker dies after libvirt took the snapshot but before
    // Temporal recorded the result: the snapshot, under the name the retry will ask for.
    const snapshotId = `mu-${request.requestId}-round-1`;
    await promisify(execFile)('virsh', ['-c', infra.hypervisor.uri, 'snapshot-create-as', '--domain', infra.hypervisor.domainOf('app-01'), '--name', snapshotId]);
    const { handle } = await submitAndReachSlot(h, request);
    const state = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    assert.deepEqual(state.snapshots.map((s) => s.snapshotId), [snapshotId]);
    assert.deepEqual(await infra.hypervisor.snapshots('app-01'), [snapshotId]);
    await handle.terminate('test done');
    await promisify(execFile)('virsh', ['-c', infra.hypervisor.uri, 'snapshot-delete', '--domain', infra.hypervisor.domainOf('app-01'), '--snapshotname', snapshotId]);
  });

  it('runs an update end to end: counted users and a passed technical test, with evidence, confirmed by the engineer', async () => {
    const request = await infra.newRequest(h);
    const { handle } = await submitAndReachSlot(h, request);
    let state = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    const counted = state.timeline.find((e) => e.action === 'no-active-users')!;
    assert.equal(counted.actor, 'system');
    assert.equal(counted.evidence['app-01 sessions: command'], "who | awk '{ print $1 }' | sort -u");
    assert.equal(counted.evidence['app-01 processes: exit code'], 0);

    const [host] = state.hosts;
    await recordStep(h, host.workflowId, host.target, 'install');
    await recordStep(h, host.workflowId, host.target, 'configure');
    const passed = await h.untilHost(host.workflowId, (s) => s.automatedTest?.status === 'passed', 'the automated test to pass');
    assert.deepEqual(passed.pendingActions.map((a) => [a.update, a.roles]), [['confirmTechnicalTest', ['operator']]]);
    const verdict = passed.timeline.find((e) => e.action === 'technical-test-passed')!;
    assert.equal(verdict.actor, 'system');
    assert.equal(verdict.evidence['app-01 application: command'], `${infra.software.program} 0`);
    assert.equal(verdict.evidence['app-01 application: exit code'], 0);
    assert.equal(verdict.evidence['app-01 log-errors: output'], '');

    const receipt = await h.env.client.workflow.getHandle(host.workflowId).executeUpdate(confirmTechnicalTestUpdate,
      { args: [{ actor: operator, target: 'app-01', notes: 'evidence reviewed' }] });
    assert.deepEqual([receipt.currentStep, receipt.pendingActions], [undefined, []]);
    state = await h.untilStatus(handle, 'functional-testing');
    const confirmed = state.timeline.find((e) => e.action === 'technical-test-confirmed')!;
    assert.deepEqual([confirmed.actor, confirmed.evidence.notes], [operator.id, 'evidence reviewed']);

    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    state = await h.untilStatus(handle, 'snapshot-retention');
    await h.skipPast(state.retention!.deleteAfter);
    assert.equal((await handle.result()).outcome, 'signed-off');
    assert.deepEqual(await infra.hypervisor.snapshots('app-01'), [], 'the snapshot is deleted after retention');
    // The engineer took exactly these actions: the two steps they carried out and the confirmation.
    assert.deepEqual((await historyFacts(h.env.client.workflow.getHandle(host.workflowId))).acceptedUpdates,
      ['recordHostStep', 'recordHostStep', 'confirmTechnicalTest']);
  });

  it('hands a host nobody can reach to the engineer, for the user count and the technical test, instead of failing', async () => {
    const request = await infra.newRequest(h, 'closed-port');
    const { handle } = await submitAndReachSlot(h, request);
    let state = await h.until(handle, (s) => s.userActivity?.unreachable !== undefined, 'the unreachable host');
    assert.equal(state.status, 'user-activity');
    assert.equal(state.userActivity!.unreachable!.target, 'app-01');
    assert.match(state.userActivity!.unreachable!.error, /ECONNREFUSED/);
    const told = state.timeline.find((e) => e.action === 'host-unreachable')!;
    assert.deepEqual([told.actor, told.target, told.evidence.attempts], ['system', 'app-01', 3]);
    assert.deepEqual(state.pendingActions.filter((a) => !a.optional).map((a) => a.update), ['reportUserActivity', 'resolveUserActivity']);
    assert.equal(await h.refusal(handle, resolveUserActivityUpdate, { actor: operator, decision: 'proceed', reason: 'go' }),
      'decision must be one of recheck, postpone');

    await handle.executeUpdate(resolveUserActivityUpdate, { args: [{ actor: operator, decision: 'recheck', reason: 'network fixed?' }] });
    state = await h.until(handle, (s) => s.timeline.filter((e) => e.action === 'host-unreachable').length === 2, 'the second check');
    assert.ok(state.userActivity!.unreachable, 'still unreachable: still the engineer\'s decision');
    await handle.executeUpdate(reportUserActivityUpdate, { args: [{ actor: operator, activeUsers: 0, notes: 'asked the customer: nobody works' }] });

    state = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    const [host] = state.hosts;
    await recordStep(h, host.workflowId, host.target, 'install');
    await recordStep(h, host.workflowId, host.target, 'configure');
    const notDone = await h.untilHost(host.workflowId, (s) => s.automatedTest?.status === 'not-done', 'the unreachable technical test');
    assert.deepEqual(notDone.pendingActions.map((a) => a.update), ['decideHostFailure', 'recordHostStep']);
    const child = h.env.client.workflow.getHandle(host.workflowId);
    assert.equal(await h.refusal(child, confirmTechnicalTestUpdate, { actor: operator, target: 'app-01' }),
      'no automated technical test on app-01 is waiting for confirmation');
    // The engineer takes over by hand, as without a session provider.
    await child.executeUpdate(recordHostStepUpdate, { args: [{
      actor: operator, target: 'app-01', step: 'technical-test', passed: true, notes: 'tested at the console',
      checklist: { applicationStarts: true, servicesRunning: true, eventLogClean: true },
    }] });
    state = await h.untilStatus(handle, 'functional-testing');
    assert.ok(state.timeline.some((e) => e.step === 'technical-test' && e.action === 'host-unreachable'));
    // Operations was mailed each time: two user counts and one technical test.
    const mails = await eventually(() => h.db.dataSource.query(
      `SELECT recipients, status FROM outbox_messages WHERE request_id = $1 AND kind = 'host-unreachable'`, [request.requestId]) as Promise<Array<{ recipients: string[]; status: string }>>,
    (rows) => rows.length === 3 && rows.every((r) => r.status === 'sent'), 'three mails to operations');
    assert.deepEqual(mails.map((m) => m.recipients), [['operations@provider.test'], ['operations@provider.test'], ['operations@provider.test']]);
    assert.ok(h.mailbox.messages.some((m) => m.subject?.startsWith('Action needed: a host could not be checked') && /ECONNREFUSED/.test(m.text ?? '')));
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    state = await h.untilStatus(handle, 'snapshot-retention');
    await h.skipPast(state.retention!.deleteAfter);
    assert.equal((await handle.result()).outcome, 'signed-off');
  });

  it('hands a check that cannot run (no SSH address in the inventory) to the engineer, who postpones', async () => {
    const request = await infra.newRequest(h, 'no-address');
    const { handle } = await submitAndReachSlot(h, request);
    let state = await h.until(handle, (s) => s.userActivity?.unreachable !== undefined, 'the check that could not run');
    assert.match(state.userActivity!.unreachable!.error, /names no SSH address for app-01/);
    assert.ok(state.timeline.some((e) => e.action === 'check-failed' && e.actor === 'system'));
    await handle.executeUpdate(resolveUserActivityUpdate, { args: [{ actor: operator, decision: 'postpone', reason: 'inventory incomplete' }] });
    state = await h.untilStatus(handle, 'scheduling');
    assert.deepEqual(state.snapshots.map((s) => s.status), ['deleted']);
    assert.deepEqual(await infra.hypervisor.snapshots('app-01'), [], 'the fresh snapshot is deleted on the hypervisor');
    await handle.terminate('test done');
  });
});
