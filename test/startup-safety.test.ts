import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DEVELOPMENT_PAYLOAD_KEYS, SECRET_VARIABLES } from '../platform/config';
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
