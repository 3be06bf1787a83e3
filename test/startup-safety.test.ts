import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { passDevelopmentKeyUnlessConfigured } from '../local/payload-keys';
import { DEVELOPMENT_PAYLOAD_KEYS, loadConfig, SECRET_VARIABLES } from '../platform/config';
import { projectRoot } from '../platform/project-root';

/** The programs a deployment runs, each refusing a configuration before it connects anywhere. */
const PROGRAMS = [
  { name: 'api', args: ['dist/api/main.js'] },
  { name: 'worker', args: ['dist/worker/main.js'] },
  { name: 'audit', args: ['dist/scripts/audit.js', 'verify-archive'] },
];

/** Runs the program with only `env` of our variables set (none inherited from the test's own environment). */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([name]) => !SECRET_VARIABLES.some((s) => name === s || name === `${s}_FILE`)));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd: projectRoot(), env: { ...inherited, ...env }, timeout: 30_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('start-up of the deployed programs', () => {
  for (const { name, args } of PROGRAMS) {
    it(`${name} refuses to start without a payload key of its own, naming the variable and how to make one`, async () => {
      const sut = await run(args, { LOG_LEVEL: 'fatal' });
      assert.equal(sut.code, 1, sut.output);
      assert.match(sut.output, /PAYLOAD_KEYS \(or PAYLOAD_KEYS_FILE\) must be set/);
      assert.match(sut.output, /openssl rand -base64 32/);
    });

    it(`${name} names a malformed DATABASE_URL and SMTP_URL without printing their passwords`, async () => {
      const sut = await run(args, {
        PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS,
        DATABASE_URL: 'mysql://admin:Hunter2-db@db.internal/app',
        SMTP_URL: 'http://relay-user:Hunter2-smtp@relay.internal',
      });
      assert.equal(sut.code, 1, sut.output);
      assert.match(sut.output, /DATABASE_URL must be a postgres:\/\/ URL/);
      assert.match(sut.output, /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
      assert.doesNotMatch(sut.output, /Hunter2|admin|relay-user/);
    });
  }
});

describe('npm start and the payload key', () => {
  /** A logger whose lines the test reads. */
  function recordingLogger() {
    const lines: Array<{ level: number; msg: string }> = [];
    const stream = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done(); } });
    return { logger: pino({ level: 'info' }, stream), lines };
  }

  it('hands its children the development key when none is configured, and warns that it is public', () => {
    const { logger, lines } = recordingLogger();
    const env: NodeJS.ProcessEnv = {};
    passDevelopmentKeyUnlessConfigured(loadConfig({}), env, logger);
    assert.equal(env.PAYLOAD_KEYS, DEVELOPMENT_PAYLOAD_KEYS);
    assert.equal(loadConfig(env, { requirePayloadKeys: true }).payloadKeys.developmentKey, true, 'the worker and the API accept it');
    assert.equal(lines.length, 1);
    assert.equal(lines[0].level, 40);
    assert.match(lines[0].msg, /public development key/);
  });

  it('passes a configured key on untouched, silently', () => {
    const { logger, lines } = recordingLogger();
    const keys = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
    const env: NodeJS.ProcessEnv = { PAYLOAD_KEYS: keys };
    passDevelopmentKeyUnlessConfigured(loadConfig(env), env, logger);
    assert.deepEqual([env.PAYLOAD_KEYS, lines.length], [keys, 0]);
  });
});
