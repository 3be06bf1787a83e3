import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { decideHostFailureUpdate } from '../../workflows/update-request.contract';
import { eventually } from '../support/eventually';
import { RealInfrastructure } from '../support/real-infrastructure';
import { operator, UpdateHarness } from '../support/update-harness';
import { recordStep, submitAndReachSlot } from './request-driver';

const MINUTE_MS = 60_000;

/**
 * The workflow's snapshots, user activity, technical test, rollback and retention with the real
 * providers: a libvirt daemon holding the target's domain, and an OpenSSH server standing in for
 * the host. `real-host-checks.test.ts` covers a passing test confirmed by the engineer and an
 * unreachable host.
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
});
