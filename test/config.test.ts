import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigurationError, DEVELOPMENT_PAYLOAD_KEYS, LOCAL_DEFAULTS, loadConfig } from '../platform/config';

/** The problems loadConfig names for `env`; fails the test when it accepts it. */
function problemsOf(env: NodeJS.ProcessEnv, options = {}): string[] {
  try {
    loadConfig(env, options);
  } catch (err) {
    assert.ok(err instanceof ConfigurationError);
    return err.problems;
  }
  assert.fail(`accepted ${JSON.stringify(Object.keys(env))}`);
}

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
    assert.deepEqual(sut.api, { host: '127.0.0.1', port: 3000, trustProxy: false });
    assert.deepEqual(sut.rateLimits, { windowSeconds: 60, perKey: 600, perAddress: 1200, submissions: 30, mail: 10 });
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

  it('refuses a retired variable, naming what replaced it, rather than ignoring the rule it meant to set', () => {
    const [problem, ...rest] = problemsOf({ SHORT_NOTICE_DECISION_HOURS: '12' });
    assert.deepEqual(rest, []);
    assert.match(problem, /^SHORT_NOTICE_DECISION_HOURS is no longer read: .*RESPONSE_HOURS_BLOCKER/);
  });

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

  it('takes the rate limits and the trusted proxies', () => {
    const sut = loadConfig({ RATE_LIMIT_WINDOW_SECONDS: '10', RATE_LIMIT_PER_KEY: '5', RATE_LIMIT_PER_ADDRESS: '7', RATE_LIMIT_SUBMISSIONS: '2', RATE_LIMIT_MAIL: '1', API_TRUST_PROXY: '1' });
    assert.deepEqual(sut.rateLimits, { windowSeconds: 10, perKey: 5, perAddress: 7, submissions: 2, mail: 1 });
    assert.equal(sut.api.trustProxy, 1);
    assert.equal(loadConfig({ API_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).api.trustProxy, 'loopback, 10.0.0.0/8');
    assert.match(problemsOf({ RATE_LIMIT_MAIL: '0' })[0], /RATE_LIMIT_MAIL must be at least 1/);
    assert.match(problemsOf({ API_TRUST_PROXY: 'everyone' })[0], /API_TRUST_PROXY/);
  });

  it('bounds the workflow cache at 1000 by default, takes 0 (no cache) or more, and refuses anything else', () => {
    assert.equal(loadConfig({}).temporal.workflowCacheSize, 1000);
    assert.equal(loadConfig({ WORKFLOW_CACHE_SIZE: '250' }).temporal.workflowCacheSize, 250);
    assert.equal(loadConfig({ WORKFLOW_CACHE_SIZE: '0' }).temporal.workflowCacheSize, 0);
    assert.match(problemsOf({ WORKFLOW_CACHE_SIZE: '-1' })[0], /WORKFLOW_CACHE_SIZE must be at least 0/);
    assert.match(problemsOf({ WORKFLOW_CACHE_SIZE: 'lots' })[0], /WORKFLOW_CACHE_SIZE must be an integer/);
  });

  it('plans maintenance on the 28th by default, on a day from 1 to 28 when set, and never when 0 or off', () => {
    assert.equal(loadConfig({}).maintenancePlanDay, 28);
    assert.equal(loadConfig({ MAINTENANCE_PLAN_DAY: '1' }).maintenancePlanDay, 1);
    assert.equal(loadConfig({ MAINTENANCE_PLAN_DAY: 'off' }).maintenancePlanDay, null);
    assert.equal(loadConfig({ MAINTENANCE_PLAN_DAY: '0' }).maintenancePlanDay, null);
    for (const day of ['29', '31', '-1', 'monthly', '1.5']) {
      assert.match(problemsOf({ MAINTENANCE_PLAN_DAY: day })[0], /MAINTENANCE_PLAN_DAY must be a day of the month from 1 to 28, or 0\/off/, day);
    }
  });

  it('checks support windows daily at 07:00 by default, at an hour from 0 to 23 when set, and never when off', () => {
    assert.equal(loadConfig({}).supportWarningHour, 7);
    assert.equal(loadConfig({ SUPPORT_WARNING_HOUR: '0' }).supportWarningHour, 0);
    assert.equal(loadConfig({ SUPPORT_WARNING_HOUR: '23' }).supportWarningHour, 23);
    assert.equal(loadConfig({ SUPPORT_WARNING_HOUR: 'off' }).supportWarningHour, null);
    for (const hour of ['24', '-1', '07:00', 'daily']) {
      assert.match(problemsOf({ SUPPORT_WARNING_HOUR: hour })[0], /SUPPORT_WARNING_HOUR must be an hour from 0 to 23, or off/, hour);
    }
  });

  it('replays audits on as many lanes as the machine has cores by default, on as many as set', () => {
    assert.equal(loadConfig({}).auditReplayConcurrency, availableParallelism());
    assert.equal(loadConfig({ AUDIT_REPLAY_CONCURRENCY: '1' }).auditReplayConcurrency, 1);
    assert.equal(loadConfig({ AUDIT_REPLAY_CONCURRENCY: '6' }).auditReplayConcurrency, 6);
    for (const value of ['0', '-2', 'all', '1.5']) {
      const problems = problemsOf({ AUDIT_REPLAY_CONCURRENCY: value });
      assert.ok(problems.length > 0, value);
      for (const problem of problems) assert.match(problem, /^AUDIT_REPLAY_CONCURRENCY must be (an integer|at least 1)/, value);
    }
  });
});

describe('configuration: secrets', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
  const secretFile = (name: string, content: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads DATABASE_URL, SMTP_URL and PAYLOAD_KEYS from the files their _FILE variables name', () => {
    const sut = loadConfig({
      DATABASE_URL_FILE: secretFile('database_url', 'postgres://app:pw@db:5432/app\n'),
      SMTP_URL_FILE: secretFile('smtp_url', 'smtps://relay:pw@mail.example:465'),
      PAYLOAD_KEYS_FILE: secretFile('payload_keys', `k1:${Buffer.alloc(32, 7).toString('base64')}\n`),
    }, { requirePayloadKeys: true });
    assert.equal(sut.database.url, 'postgres://app:pw@db:5432/app');
    assert.equal(sut.database.urlGiven, true);
    assert.equal(sut.mail.smtpUrl, 'smtps://relay:pw@mail.example:465');
    assert.equal(sut.payloadKeys.activeKeyId, 'k1');
    assert.equal(sut.payloadKeys.developmentKey, false);
  });

  it('refuses a missing or empty secret file, and a variable given both ways, naming the variable', () => {
    assert.match(problemsOf({ SMTP_URL_FILE: path.join(dir, 'absent') })[0], /^SMTP_URL_FILE names a file that cannot be read \(.*absent: ENOENT\)$/);
    assert.match(problemsOf({ PAYLOAD_KEYS_FILE: secretFile('empty', '\n') })[0], /^PAYLOAD_KEYS_FILE names an empty file/);
    const both = problemsOf({ DATABASE_URL: 'postgres://db/app', DATABASE_URL_FILE: secretFile('db2', 'postgres://db/app') });
    assert.deepEqual(both, ['DATABASE_URL and DATABASE_URL_FILE are both set: set only one']);
  });

  it('never quotes a rejected secret, from a variable or from a file', () => {
    const problems = [
      ...problemsOf({ DATABASE_URL: 'mysql://admin:Hunter2-db@db/app', SMTP_URL: 'http://mailer:Hunter2-smtp@relay' }),
      ...problemsOf({ DATABASE_URL_FILE: secretFile('bad_url', 'postgres//admin:Hunter2-file@db') }),
      ...problemsOf({ PAYLOAD_KEYS: 'k1:Hunter2-key' }),
    ];
    assert.equal(problems.length, 4);
    assert.match(problems[0], /^DATABASE_URL must be a postgres:\/\/ URL \(got a mysql: value, not shown/);
    assert.match(problems[1], /^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    assert.match(problems[2], /^DATABASE_URL must be a postgres:\/\/ URL \(the value is not shown/);
    assert.match(problems[3], /^PAYLOAD_KEYS entries must be id:base64/);
    assert.doesNotMatch(problems.join('\n'), /Hunter2/);
    assert.match(problemsOf({ LOG_LEVEL: 'loud' })[0], /got "loud"/, 'values that are no secret are still quoted');
  });

  it('uses the development key only when allowed, and says when it is in use', () => {
    const [problem] = problemsOf({}, { requirePayloadKeys: true });
    assert.match(problem, /^PAYLOAD_KEYS \(or PAYLOAD_KEYS_FILE\) must be set/);
    assert.match(problem, /openssl rand -base64 32/);
    assert.equal(loadConfig({}).payloadKeys.developmentKey, true, 'tests and npm start fall back to it');
    const explicit = loadConfig({ PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS }, { requirePayloadKeys: true }).payloadKeys;
    assert.deepEqual([explicit.keysGiven, explicit.developmentKey], [true, true]);
  });
});
