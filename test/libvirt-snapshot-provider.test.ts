import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LibvirtSnapshotProvider, libvirtSnapshotName } from '../activities/libvirt/libvirt-snapshot-provider';
import { createSnapshotActivities } from '../activities/snapshot.activities';
import { InventoryStore } from '../platform/inventory/inventory-store';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestHypervisor, type TestHypervisor } from './support/hypervisor';
import { seedRequestWithSystems } from './support/inventory';
import { startTestSshServer, type TestSshServer } from './support/ssh-server';

const TARGETS = ['app-01', 'app-02'];

describe('libvirt snapshot provider against a real libvirt daemon', () => {
  let db: TestDatabase;
  let hypervisor: TestHypervisor;
  let sut: ReturnType<typeof createSnapshotActivities>;
  let provider: LibvirtSnapshotProvider;
  let sshServer: TestSshServer;

  before(async () => {
    db = await createTestDatabase();
    hypervisor = await startTestHypervisor(TARGETS);
    sshServer = await startTestSshServer();
    provider = new LibvirtSnapshotProvider(new InventoryStore(db.dataSource));
    sut = createSnapshotActivities({ snapshotProvider: provider });
  });
  after(async () => {
    await sshServer?.stop();
    await hypervisor?.stop();
    await db?.drop();
  });

  const newRequest = () => seedRequestWithSystems(db.dataSource, 'Test ERP',
    TARGETS.map((name) => ({ name, hypervisor: { uri: hypervisor.uri, domain: hypervisor.domainOf(name) } })));

  it('takes a snapshot named after the request and round, described with the request, and lists it', async () => {
    const { requestId } = await newRequest();
    const { snapshotId } = await sut.takeSnapshot({ requestId, target: 'app-01', round: 2 });
    assert.equal(snapshotId, `mu-${requestId}-round-2`);
    assert.deepEqual(await hypervisor.snapshots('app-01'), [snapshotId]);
    assert.deepEqual(await provider.list({ requestId, target: 'app-01' }), [snapshotId]);
    const { stdout } = await promisify(execFile)('virsh', ['-c', hypervisor.uri, 'snapshot-dumpxml', hypervisor.domainOf('app-01'), snapshotId]);
    assert.match(stdout, new RegExp(`<description>managed-updates request ${requestId}, round 2, target app-01</description>`));
    await sut.deleteSnapshot({ requestId, target: 'app-01', snapshotId });
  });

  it('finds the snapshot it already took when a take is retried, leaving exactly one', async () => {
    const { requestId } = await newRequest();
    const first = await sut.takeSnapshot({ requestId, target: 'app-02' });
    const retried = await sut.takeSnapshot({ requestId, target: 'app-02' });
    const racing = await Promise.all([sut.takeSnapshot({ requestId, target: 'app-02' }), sut.takeSnapshot({ requestId, target: 'app-02' })]);
    assert.equal(first.snapshotId, libvirtSnapshotName(requestId, 1));
    assert.deepEqual([retried, ...racing], [first, first, first]);
    assert.deepEqual(await hypervisor.snapshots('app-02'), [first.snapshotId]);
    await sut.deleteSnapshot({ requestId, target: 'app-02', ...first });
  });

  it('reverts to a snapshot, then deletes it, and a second delete of the gone snapshot succeeds', async () => {
    const { requestId } = await newRequest();
    const ref = { requestId, target: 'app-01', ...(await sut.takeSnapshot({ requestId, target: 'app-01' })) };
    await sut.restoreSnapshot(ref);
    await sut.deleteSnapshot(ref);
    assert.deepEqual(await hypervisor.snapshots('app-01'), []);
    await sut.deleteSnapshot(ref);
    await assert.rejects(sut.restoreSnapshot(ref), (err: unknown) => err instanceof ApplicationFailure && err.type === 'SnapshotDeleted' && err.nonRetryable);
  });

  it('refuses to act on a snapshot not taken for the request, and on targets outside the inventory', async () => {
    const { requestId } = await newRequest();
    const other = await newRequest();
    const foreign = await sut.takeSnapshot({ requestId: other.requestId, target: 'app-01' });
    await assert.rejects(sut.deleteSnapshot({ requestId, target: 'app-01', ...foreign }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'UnknownSnapshot');
    assert.deepEqual(await hypervisor.snapshots('app-01'), [foreign.snapshotId]);
    await assert.rejects(sut.takeSnapshot({ requestId, target: 'db-09' }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'UnknownSystem' && /db-09/.test(err.message));
    const misnamed = await seedRequestWithSystems(db.dataSource, 'Test ERP', [{ name: 'app-01', hypervisor: { uri: hypervisor.uri, domain: 'no-such-vm' } }]);
    await assert.rejects(sut.takeSnapshot({ requestId: misnamed.requestId, target: 'app-01' }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'UnknownDomain' && err.nonRetryable && /no domain no-such-vm/.test(err.message));
    await sut.deleteSnapshot({ requestId: other.requestId, target: 'app-01', ...foreign });
  });

  it('reaches a remote hypervisor over SSH (qemu+libssh), verifying its host key', async () => {
    const remote = (knownHosts: string) => `qemu+libssh://${sshServer.user}@${sshServer.host}:${sshServer.port}/system`
      + `?keyfile=${sshServer.privateKeyFile}&known_hosts=${knownHosts}&sshauth=privkey`;
    const { requestId } = await seedRequestWithSystems(db.dataSource, 'Test ERP',
      [{ name: 'app-02', hypervisor: { uri: remote(sshServer.knownHostsFile), domain: hypervisor.domainOf('app-02') } }]);
    const ref = { requestId, target: 'app-02', ...(await sut.takeSnapshot({ requestId, target: 'app-02' })) };
    assert.deepEqual(await hypervisor.snapshots('app-02'), [ref.snapshotId]);
    await sut.deleteSnapshot(ref);
    assert.deepEqual(await hypervisor.snapshots('app-02'), []);

    const strangers = path.join(await mkdtemp(path.join(tmpdir(), 'mu-known-')), 'known_hosts');
    await writeFile(strangers, '');
    const stranger = await seedRequestWithSystems(db.dataSource, 'Test ERP',
      [{ name: 'app-02', hypervisor: { uri: remote(strangers), domain: hypervisor.domainOf('app-02') } }]);
    await assert.rejects(sut.takeSnapshot({ requestId: stranger.requestId, target: 'app-02' }), /host key .* was not accepted/);
    await rm(path.dirname(strangers), { recursive: true, force: true });
    assert.deepEqual(await hypervisor.snapshots('app-02'), []);
  });
});
