import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createSessionActivities } from '../activities/session.activities';
import type { SshSettings } from '../activities/ssh/ssh-connection';
import { SshSessionProvider } from '../activities/ssh/ssh-session-provider';
import { InventoryStore } from '../platform/inventory/inventory-store';
import { closedPort } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { eventually } from './support/eventually';
import { seedRequestWithSystems } from './support/inventory';
import { startTestSshServer, type TestSshServer } from './support/ssh-server';
import { TestSoftware } from './support/test-software';

describe('ssh session provider against a real OpenSSH server', () => {
  let db: TestDatabase;
  let server: TestSshServer;
  let software: TestSoftware;
  let dir: string;
  let settings: SshSettings;
  let sut: ReturnType<typeof createSessionActivities>;

  const provider = (changes: Partial<SshSettings> = {}) =>
    createSessionActivities({ sessionProvider: new SshSessionProvider(new InventoryStore(db.dataSource), software.catalogue, { ...settings, ...changes }) });

  before(async () => {
    db = await createTestDatabase();
    server = await startTestSshServer();
    software = await TestSoftware.install();
    dir = await mkdtemp(path.join(tmpdir(), 'mu-ssh-test-'));
    settings = {
      privateKeyFile: server.privateKeyFile, knownHostsFile: server.knownHostsFile,
      connectTimeoutMs: 5_000, commandTimeoutMs: 10_000, connectAttempts: 3, retryDelayMs: 20,
    };
    sut = provider();
  });
  after(async () => {
    await software?.remove();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  const newRequest = (port = server.port) => seedRequestWithSystems(db.dataSource, software.name,
    [{ name: 'app-01', ssh: { host: server.host, port, user: server.user, osFamily: 'linux' } }]);
  const processesSeen = (r: { evidence: Array<{ check: string; output: string }> }) => r.evidence.find((e) => e.check === 'processes')?.output;

  it('counts a user whose terminal session runs the software, and nobody once the session left', async () => {
    const { requestId } = await newRequest();
    const before = await sut.inspectActiveUsers({ requestId, targets: ['app-01'] });
    assert.equal(before.outcome === 'counted' && before.activeUsers, 0);
    assert.deepEqual(before.evidence.map((e) => [e.check, e.exitCode]), [['sessions', 0], ['processes', 0]]);

    const session = await server.openTerminalSession(software.runCommand());
    const during = await eventually(() => sut.inspectActiveUsers({ requestId, targets: ['app-01'] }),
      (r) => r.outcome === 'counted' && r.activeUsers > 0, 'the session to count');
    assert.deepEqual(during.outcome === 'counted' && during.users, [{ target: 'app-01', user: server.user }]);
    assert.equal(await sut.countActiveUsers({ requestId, targets: ['app-01'] }), 1);
    assert.match(processesSeen(during) ?? '', new RegExp(`^${server.user}$`, 'm'));

    session.close();
    // The session's process ends on the hang-up a moment after the session does.
    await eventually(() => sut.inspectActiveUsers({ requestId, targets: ['app-01'] }), (r) => processesSeen(r) === '', "the session's process to end");
    assert.equal(await sut.countActiveUsers({ requestId, targets: ['app-01'] }), 0);
  });

  it('counts neither a session without the software nor a service account running it without a session', async () => {
    const { requestId } = await newRequest();
    const idle = await server.openTerminalSession('sleep 600');
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    const detached = spawn(software.program, ['600'], { stdio: 'ignore', uid: nobody, gid: nobody });
    try {
      const report = await eventually(() => sut.inspectActiveUsers({ requestId, targets: ['app-01'] }),
        (r) => r.evidence.some((e) => e.check === 'sessions' && e.output.includes(server.user)) && /nobody/.test(processesSeen(r) ?? ''),
        'the idle session and the service account to show');
      assert.equal(report.outcome === 'counted' && report.activeUsers, 0);
    } finally {
      detached.kill();
      idle.close();
    }
  });

  it('passes the technical test when the application starts, its service runs and no error was logged since', async () => {
    const { requestId } = await newRequest();
    await software.logError(new Date('2020-01-01T00:00:00Z'), 'an old failure');
    const report = await sut.runTechnicalTest({ requestId, target: 'app-01', since: new Date().toISOString() });
    assert.deepEqual(report.outcome === 'passed' && report.failedChecks, []);
    assert.deepEqual(report.evidence.map((e) => [e.check, e.exitCode]), [['application', 0], [`service:${software.serviceName}`, 0], ['log-errors', 0]]);
    assert.equal(report.evidence[1].command, `pgrep -x '${software.serviceName}'`);
  });

  it('fails the technical test with evidence when the service is stopped or an error is logged', async () => {
    const { requestId } = await newRequest();
    const since = new Date();
    await software.stopService();
    await software.logError(new Date(since.getTime() + 1), 'print module did not load');
    try {
      const report = await sut.runTechnicalTest({ requestId, target: 'app-01', softwareName: software.name, since: since.toISOString() });
      assert.equal(report.outcome, 'failed');
      assert.deepEqual(report.outcome === 'failed' && report.failedChecks, [`service:${software.serviceName}`, 'log-errors']);
      assert.equal(report.evidence.find((e) => e.check === `service:${software.serviceName}`)!.exitCode, 1);
      assert.match(report.evidence.find((e) => e.check === 'log-errors')!.output, /print module did not load/);
    } finally {
      software.startService();
    }
  });

  it('reports a host that never answers as unreachable after every attempt, with the error', async () => {
    const { requestId } = await newRequest(await closedPort());
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
    const { requestId } = await newRequest();
    const strangers = path.join(dir, 'empty_known_hosts');
    await writeFile(strangers, '');
    const refused = await provider({ knownHostsFile: strangers }).inspectActiveUsers({ requestId, targets: ['app-01'] });
    assert.match(refused.outcome === 'unreachable' ? refused.error : '', /host key .* is not in/);

    const revoked = await server.newKeyPair('revoked_ed25519');
    await server.addKey(revoked.publicKey);
    const withRevokedKey = provider({ privateKeyFile: revoked.privateKeyFile });
    assert.equal((await withRevokedKey.inspectActiveUsers({ requestId, targets: ['app-01'] })).outcome, 'counted');
    await server.removeKey(revoked.publicKey);
    const denied = await withRevokedKey.inspectActiveUsers({ requestId, targets: ['app-01'] });
    assert.match(denied.outcome === 'unreachable' ? denied.error : '', /authentication/i);
  });
});
