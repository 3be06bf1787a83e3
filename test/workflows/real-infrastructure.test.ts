import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LibvirtSnapshotProvider } from '../../activities/libvirt/libvirt-snapshot-provider';
import { SshSessionProvider } from '../../activities/ssh/ssh-session-provider';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { decideHostFailureUpdate, type UpdateRequest } from '../../workflows/update-request.contract';
import { eventually } from '../support/eventually';
import { startTestHypervisor, type TestHypervisor } from '../support/hypervisor';
import { seedCustomerWithSystems } from '../support/inventory';
import { startTestSshServer, type TestSshServer } from '../support/ssh-server';
import { TestSoftware } from '../support/test-software';
import { operator, UpdateHarness } from '../support/update-harness';
import { recordStep, submitAndReachSlot } from './request-driver';

const MINUTE_MS = 60_000;

/**
 * Today's workflow (snapshots, user activity, rollback, retention) with the real providers: a
 * libvirt daemon holding the target's domain, and an OpenSSH server standing in for the host.
 */
describe('managed update with SNAPSHOT_PROVIDER=libvirt and SESSION_PROVIDER=ssh', () => {
  let hypervisor: TestHypervisor;
  let server: TestSshServer;
  let software: TestSoftware;
  let h: UpdateHarness;

  before(async () => {
    hypervisor = await startTestHypervisor(['app-01']);
    server = await startTestSshServer();
    software = await TestSoftware.install();
  });
  after(async () => {
    await software?.remove();
    await server?.stop();
    await hypervisor?.stop();
  });
  beforeEach(async () => {
    h = await UpdateHarness.start({
      providersFor: (db) => {
        const inventory = new InventoryStore(db.dataSource);
        return {
          snapshotProvider: new LibvirtSnapshotProvider(inventory),
          sessionProvider: new SshSessionProvider(inventory, software.catalogue, {
            privateKeyFile: server.privateKeyFile, knownHostsFile: server.knownHostsFile,
            connectTimeoutMs: 5_000, commandTimeoutMs: 10_000, connectAttempts: 3, retryDelayMs: 100,
          }),
        };
      },
    });
  });
  afterEach(async () => { await h?.stop(); });

  /** A request of the test software for app-01, which the customer's inventory lists with its domain and SSH address. */
  async function newRequest(): Promise<UpdateRequest> {
    const customerId = await seedCustomerWithSystems(h.db.dataSource, [{
      name: 'app-01',
      hypervisor: { uri: hypervisor.uri, domain: hypervisor.domainOf('app-01') },
      ssh: { host: server.host, port: server.port, user: server.user, osFamily: 'linux' },
    }]);
    return h.request({
      customerId,
      software: { name: software.name, vendor: 'Test', currentVersion: '1.0', targetVersion: '2.0' },
      targets: [{ name: 'app-01', kind: 'application-server' }],
    });
  }

  it('snapshots for real, waits while a user has the software open, reverts on rollback and deletes after retention', async () => {
    const request = await newRequest();
    const session = await server.openTerminalSession(software.runCommand());
    const { handle } = await submitAndReachSlot(h, request);

    let state = await h.until(handle, (s) => s.userActivity?.customerNotified === true, 'users to be reported active');
    assert.equal(state.userActivity?.activeUsers, 1);
    const snapshotId = `mu-${request.requestId}-round-1`;
    assert.deepEqual(state.snapshots.map((s) => [s.target, s.snapshotId, s.status]), [['app-01', snapshotId, 'present']]);
    assert.deepEqual(await hypervisor.snapshots('app-01'), [snapshotId]);

    session.close();
    await eventually(() => software.isRunning(), (running) => !running, 'the user to leave');
    await h.skip(15 * MINUTE_MS);
    state = await h.until(handle, (s) => s.hosts.length === 1 && s.hosts[0].status === 'running', 'installation after the user left');
    assert.equal(state.userActivity?.activeUsers, 0);

    const [host] = state.hosts;
    await recordStep(h, host.workflowId, host.target, 'install');
    await recordStep(h, host.workflowId, host.target, 'configure');
    await recordStep(h, host.workflowId, host.target, 'technical-test', false);
    await h.env.client.workflow.getHandle(host.workflowId).executeUpdate(decideHostFailureUpdate,
      { args: [{ actor: operator, target: host.target, decision: 'rollback', reason: 'event log full of errors' }] });

    assert.equal((await handle.result()).outcome, 'rolled-back');
    state = await h.state(handle);
    assert.ok(state.timeline.some((e) => e.action === 'snapshots-restored' && e.actor === 'system'));
    assert.equal(state.snapshots[0].status, 'deleted');
    assert.deepEqual(await hypervisor.snapshots('app-01'), [], 'deleted on the hypervisor after retention');
  });

  it('finds the snapshot an attempt took before its worker died, and leaves exactly one', async () => {
    const request = await newRequest();
    // What an attempt leaves when its worker dies after libvirt took the snapshot but before
    // Temporal recorded the result: the snapshot, under the name the retry will ask for.
    const snapshotId = `mu-${request.requestId}-round-1`;
    await promisify(execFile)('virsh', ['-c', hypervisor.uri, 'snapshot-create-as', '--domain', hypervisor.domainOf('app-01'), '--name', snapshotId]);
    const { handle } = await submitAndReachSlot(h, request);
    const state = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    assert.deepEqual(state.snapshots.map((s) => s.snapshotId), [snapshotId]);
    assert.deepEqual(await hypervisor.snapshots('app-01'), [snapshotId]);
    await handle.terminate('test done');
    await promisify(execFile)('virsh', ['-c', hypervisor.uri, 'snapshot-delete', '--domain', hypervisor.domainOf('app-01'), '--snapshotname', snapshotId]);
  });
});
