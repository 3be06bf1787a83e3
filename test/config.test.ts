import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, LOCAL_DEFAULTS, loadConfig } from '../platform/config';

describe('configuration', () => {
  it('falls back to the local defaults when nothing is set', () => {
    const sut = loadConfig({});
    assert.equal(sut.temporal.address, LOCAL_DEFAULTS.temporalAddress);
    assert.equal(sut.temporal.addressGiven, false);
    assert.equal(sut.temporal.namespace, 'default');
    assert.equal(sut.temporal.taskQueue, 'managed-updates');
    assert.equal(sut.database.url, LOCAL_DEFAULTS.databaseUrl);
    assert.equal(sut.database.urlGiven, false);
    assert.equal(sut.database.schema, 'public');
    assert.equal(sut.mail.smtpUrl, LOCAL_DEFAULTS.smtpUrl);
    assert.equal(sut.mail.smtpUrlGiven, false);
    assert.deepEqual(sut.api, { host: '127.0.0.1', port: 3000 });
    assert.equal(sut.logLevel, 'info');
    assert.equal(sut.dataDir, '.data');
  });

  it('takes what is set, and says it was given', () => {
    const sut = loadConfig({ API_PORT: '8080', DATABASE_URL: 'postgres://u:p@db:5432/app', TEMPORAL_ADDRESS: 'temporal:7233', SMTP_URL: '' });
    assert.equal(sut.api.port, 8080);
    assert.equal(sut.database.url, 'postgres://u:p@db:5432/app');
    assert.equal(sut.database.urlGiven, true);
    assert.equal(sut.temporal.address, 'temporal:7233');
    assert.equal(sut.temporal.addressGiven, true);
    assert.equal(sut.mail.smtpUrlGiven, false, 'an empty variable counts as unset');
  });

  for (const [variable, value] of [
    ['API_PORT', 'eighty'], ['API_PORT', '70000'], ['DATABASE_URL', 'mysql://db/app'], ['LOG_LEVEL', 'verbose'],
    ['TEMPORAL_ADDRESS', 'no-port'], ['SMTP_URL', 'http://mail'],
  ] as const) {
    it(`refuses ${variable}=${value}, naming the variable`, () => {
      assert.throws(() => loadConfig({ [variable]: value }), (err: unknown) => {
        assert.ok(err instanceof ConfigurationError);
        assert.ok(err.problems.length > 0);
        for (const problem of err.problems) assert.match(problem, new RegExp(variable));
        return true;
      });
    });
  }

  it('needs a key and a known-hosts file for SESSION_PROVIDER=ssh, and enforces the inventory by default', () => {
    assert.throws(() => loadConfig({ SESSION_PROVIDER: 'ssh' }), (err: unknown) =>
      err instanceof ConfigurationError && err.problems.length === 2
      && /^SSH_PRIVATE_KEY_FILE is required/.test(err.problems[0]) && /^SSH_KNOWN_HOSTS_FILE is required/.test(err.problems[1]));
    const sut = loadConfig({ SNAPSHOT_PROVIDER: 'libvirt', SESSION_PROVIDER: 'ssh', SSH_PRIVATE_KEY_FILE: '/run/secrets/ssh_key', SSH_KNOWN_HOSTS_FILE: '/etc/mu/known_hosts' });
    assert.deepEqual(sut.providers, { snapshot: 'libvirt', session: 'ssh' });
    assert.equal(sut.ssh.privateKeyFile, '/run/secrets/ssh_key');
    assert.equal(sut.ssh.connectAttempts, 5);
    assert.equal(sut.inventoryCheck, 'enforce');
    assert.deepEqual(loadConfig({}).providers, { snapshot: 'none', session: 'none' }, 'simulated is never the default');
    assert.throws(() => loadConfig({ SNAPSHOT_PROVIDER: 'vmware' }), /SNAPSHOT_PROVIDER must be one of none, simulated, libvirt/);
  });
});
