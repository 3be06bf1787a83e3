import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appendFile, chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { Client } from 'ssh2';
import { createSessionActivities } from '../activities/session.activities';
import { CommandCatalogue, catalogueFileName } from '../activities/ssh/command-catalogue';
import type { SshSettings } from '../activities/ssh/ssh-connection';
import { SshSessionProvider } from '../activities/ssh/ssh-session-provider';
import { InventoryStore } from '../platform/inventory/inventory-store';
import { closedPort } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { seedRequestWithSystems } from './support/inventory';
import { startTestSshServer, type TestSshServer } from './support/ssh-server';

/** An interactive SSH session (with a terminal, so `who` lists it) running `command` until closed. */
async function openSession(server: TestSshServer, command: string): Promise<{ close(): Promise<void> }> {
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve()).once('error', reject).connect({
      host: server.host, port: server.port, username: server.user, privateKey: readFileSync(server.privateKeyFile),
    });
  });
  await new Promise<void>((resolve, reject) => client.exec(command, { pty: true }, (err) => (err ? reject(err) : resolve())));
  return { close: async () => { client.end(); } };
}

/** Polls `read` (real time, seconds at most) until `check` accepts its answer. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ssh session provider against a real OpenSSH server', () => {
  let db: TestDatabase;
  let server: TestSshServer;
  let dir: string;
  let settings: SshSettings;
  let sut: ReturnType<typeof createSessionActivities>;
  let service: ChildProcess | undefined;
  // Unique per run: `ps` and `pgrep` see every process on the machine, other test runs' too.
  const suffix = randomBytes(4).toString('hex');
  const software = `Test ERP ${suffix}`;
  const processName = `mu${suffix}`;
  const serviceName = `mus${suffix}`;

  const startService = () => { service = spawn(path.join(dir, serviceName), ['600'], { stdio: 'ignore' }); };
  const stopService = async () => {
    if (!service || service.exitCode !== null) return;
    const gone = new Promise((r) => service!.once('exit', r));
    service.kill('SIGTERM');
    await gone;
  };

  before(async () => {
    db = await createTestDatabase();
    server = await startTestSshServer();
    dir = await mkdtemp(path.join(tmpdir(), 'mu-host-'));
    await chmod(dir, 0o755);
    await copyFile('/bin/sleep', path.join(dir, processName));
    await copyFile('/bin/sleep', path.join(dir, serviceName));
    await writeFile(path.join(dir, 'app.log'), '');
    // The test host has no systemd: its service is a process, its log a file of ISO-stamped lines.
    // Sessions and the software's processes use the catalogue's Linux defaults (who, ps).
    await writeFile(path.join(dir, `${catalogueFileName(software)}.json`), JSON.stringify({
      software,
      linux: {
        processName,
        application: `${path.join(dir, processName)} 0`,
        services: [serviceName],
        service: 'pgrep -x {service}',
        logErrors: `awk -v since={since} '$1 >= since && / ERROR /' ${path.join(dir, 'app.log')}`,
      },
    }));
    settings = {
      privateKeyFile: server.privateKeyFile, knownHostsFile: server.knownHostsFile,
      connectTimeoutMs: 5_000, commandTimeoutMs: 10_000, connectAttempts: 3, retryDelayMs: 20,
    };
    sut = createSessionActivities({ sessionProvider: new SshSessionProvider(new InventoryStore(db.dataSource), new CommandCatalogue(dir), settings) });
    startService();
  });
  after(async () => {
    await stopService();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  const sshSystem = (name: string, port = server.port) => ({ name, ssh: { host: server.host, port, user: server.user, osFamily: 'linux' as const } });

  it('counts a user whose terminal session runs the software, and nobody once the session left', async () => {
    const { requestId } = await seedRequestWithSystems(db.dataSource, software, [sshSystem('app-01')]);
    const before = await sut.inspectActiveUsers({ requestId, targets: ['app-01'] });
    assert.equal(before.outcome, 'counted');
    assert.equal(before.outcome === 'counted' && before.activeUsers, 0);
    assert.deepEqual(before.evidence.map((e) => [e.check, e.exitCode]), [['sessions', 0], ['processes', 0]]);

    const session = await openSession(server, `${path.join(dir, processName)} 600`);
    const during = await eventually(() => sut.inspectActiveUsers({ requestId, targets: ['app-01'] }),
      (r) => r.outcome === 'counted' && r.activeUsers > 0, 'the session to count');
    assert.deepEqual(during.outcome === 'counted' && during.users, [{ target: 'app-01', user: server.user }]);
    assert.equal(await sut.countActiveUsers({ requestId, targets: ['app-01'] }), 1);
    assert.match(during.evidence[1].output, new RegExp(`^${server.user}$`, 'm'));

    await session.close();
    // The session's process ends on the hang-up a moment after the session does.
    await eventually(() => sut.inspectActiveUsers({ requestId, targets: ['app-01'] }),
      (r) => r.evidence.find((e) => e.check === 'processes')?.output === '', 'the session\'s process to end');
    assert.equal(await sut.countActiveUsers({ requestId, targets: ['app-01'] }), 0);
  });

  it('counts neither a session without the software nor a service account running it without a session', async () => {
    const { requestId } = await seedRequestWithSystems(db.dataSource, software, [sshSystem('app-01')]);
    const idle = await openSession(server, 'sleep 600');
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    const detached = spawn(path.join(dir, processName), ['600'], { stdio: 'ignore', uid: nobody, gid: nobody });
    try {
      const report = await eventually(() => sut.inspectActiveUsers({ requestId, targets: ['app-01'] }),
        (r) => r.evidence.some((e) => e.check === 'sessions' && e.output.includes(server.user)), 'the idle session to show');
      assert.equal(report.outcome === 'counted' && report.activeUsers, 0);
      assert.match(report.evidence.find((e) => e.check === 'processes')!.output, /^nobody$/m);
    } finally {
      detached.kill();
      await idle.close();
    }
  });

  it('passes the technical test when the application starts, its service runs and no error was logged since', async () => {
    const { requestId } = await seedRequestWithSystems(db.dataSource, software, [sshSystem('app-01')]);
    await appendFile(path.join(dir, 'app.log'), '2020-01-01T00:00:00.000Z ERROR an old failure\n');
    const since = new Date().toISOString();
    const report = await sut.runTechnicalTest({ requestId, target: 'app-01', since });
    assert.deepEqual(report.outcome === 'passed' && report.failedChecks, []);
    assert.deepEqual(report.evidence.map((e) => [e.check, e.exitCode]), [['application', 0], [`service:${serviceName}`, 0], ['log-errors', 0]]);
    assert.equal(report.evidence[1].command, `pgrep -x '${serviceName}'`);
  });

  it('fails the technical test with evidence when the service is stopped or an error is logged', async () => {
    const { requestId } = await seedRequestWithSystems(db.dataSource, software, [sshSystem('app-01')]);
    const since = new Date().toISOString();
    await stopService();
    await appendFile(path.join(dir, 'app.log'), `${new Date(Date.parse(since) + 1).toISOString()} ERROR print module did not load\n`);
    const report = await sut.runTechnicalTest({ requestId, target: 'app-01', softwareName: software, since });
    assert.equal(report.outcome, 'failed');
    assert.deepEqual(report.outcome === 'failed' && report.failedChecks, [`service:${serviceName}`, 'log-errors']);
    const serviceEvidence = report.evidence.find((e) => e.check === `service:${serviceName}`)!;
    assert.equal(serviceEvidence.exitCode, 1);
    assert.match(report.evidence.find((e) => e.check === 'log-errors')!.output, /print module did not load/);
    startService();
  });

  it('reports a host that never answers as unreachable after every attempt, with the error', async () => {
    const { requestId } = await seedRequestWithSystems(db.dataSource, software, [sshSystem('app-01', await closedPort())]);
    const started = Date.now();
    const report = await sut.runTechnicalTest({ requestId, target: 'app-01', since: new Date().toISOString() });
    assert.equal(report.outcome, 'unreachable');
    assert.equal(report.outcome === 'unreachable' && report.attempts, 3);
    assert.match(report.outcome === 'unreachable' ? report.error : '', /ECONNREFUSED/);
    assert.ok(Date.now() - started >= 20 + 40, 'waits between attempts, doubling');
    await assert.rejects(sut.countActiveUsers({ requestId, targets: ['app-01'] }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'HostUnreachable' && !err.nonRetryable);
  });

  it('refuses a host whose key is not in the known-hosts file, and a login whose key was removed', async () => {
    const { requestId } = await seedRequestWithSystems(db.dataSource, software, [sshSystem('app-01')]);
    const strangers = path.join(dir, 'empty_known_hosts');
    await writeFile(strangers, '');
    const wary = createSessionActivities({ sessionProvider: new SshSessionProvider(new InventoryStore(db.dataSource), new CommandCatalogue(dir), { ...settings, knownHostsFile: strangers }) });
    const refused = await wary.inspectActiveUsers({ requestId, targets: ['app-01'] });
    assert.match(refused.outcome === 'unreachable' ? refused.error : '', /host key .* is not in/);

    const revoked = await server.newKeyPair('revoked_ed25519');
    await server.addKey(revoked.publicKey);
    const withRevokedKey = createSessionActivities({ sessionProvider: new SshSessionProvider(new InventoryStore(db.dataSource), new CommandCatalogue(dir), { ...settings, privateKeyFile: revoked.privateKeyFile }) });
    assert.equal((await withRevokedKey.inspectActiveUsers({ requestId, targets: ['app-01'] })).outcome, 'counted');
    await server.removeKey(revoked.publicKey);
    const denied = await withRevokedKey.inspectActiveUsers({ requestId, targets: ['app-01'] });
    assert.match(denied.outcome === 'unreachable' ? denied.error : '', /authentication/i);
  });
});
