import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LibvirtSnapshotProvider } from '../activities/libvirt/libvirt-snapshot-provider';
import { SimulatedSessionProvider } from '../activities/session-provider';
import { SshSessionProvider } from '../activities/ssh/ssh-session-provider';
import { loadConfig } from '../platform/config';
import { createProviders } from '../worker/providers';
import { createTestDatabase, type TestDatabase } from './support/database';

describe('the worker builds the configured providers', () => {
  let db: TestDatabase;
  let dir: string;
  before(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'mu-providers-'));
    await writeFile(path.join(dir, 'key'), 'not checked until a login');
    await writeFile(path.join(dir, 'known_hosts'), '');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('builds libvirt and ssh providers, none by default, and the stand-ins only when asked', () => {
    const real = createProviders(loadConfig({ SNAPSHOT_PROVIDER: 'libvirt', SESSION_PROVIDER: 'ssh',
      SSH_PRIVATE_KEY_FILE: path.join(dir, 'key'), SSH_KNOWN_HOSTS_FILE: path.join(dir, 'known_hosts') }), db.dataSource);
    assert.ok(real.snapshotProvider instanceof LibvirtSnapshotProvider);
    assert.ok(real.sessionProvider instanceof SshSessionProvider);
    assert.equal(real.sessionProvider.checksHosts, true, 'SSH runs the technical test for the engineer to confirm');
    assert.deepEqual(createProviders(loadConfig({}), db.dataSource), { snapshotProvider: undefined, sessionProvider: undefined });
    const demo = createProviders(loadConfig({ SESSION_PROVIDER: 'simulated' }), db.dataSource).sessionProvider;
    assert.ok(demo instanceof SimulatedSessionProvider);
    assert.equal(demo.checksHosts, false, 'the demo stand-in leaves the technical test to the operator');
  });

  it('stops at start when the key file is missing, naming it', () => {
    const missing = path.join(dir, 'no-such-key');
    assert.throws(() => createProviders(loadConfig({ SESSION_PROVIDER: 'ssh', SSH_PRIVATE_KEY_FILE: missing,
      SSH_KNOWN_HOSTS_FILE: path.join(dir, 'known_hosts') }), db.dataSource), new RegExp(missing));
  });
});
