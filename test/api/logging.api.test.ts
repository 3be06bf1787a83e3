import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConsoleSessions } from '../../api/auth/console-sessions';
import { CredentialStore } from '../../api/auth/credential-store';
import { PeopleStore } from '../../api/auth/people-store';
import { DEVELOPMENT_PAYLOAD_KEYS } from '../../platform/config';
import { projectRoot } from '../../platform/project-root';
import { closedPort } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/local-runtime';

type LogLine = Record<string, any>;

describe('API process logs: JSON lines with what an operator needs, never keys, cookies or headers', () => {
  let db: TestDatabase;
  let api: ChildProcess;
  let url: string;
  const lines: LogLine[] = [];
  let errors = '';
  const secrets = mkdtempSync(path.join(tmpdir(), 'api-secrets-'));

  const waitForLine = async (match: (line: LogLine) => boolean, what: string): Promise<LogLine> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const line = lines.find(match);
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`no log line for ${what}; got ${lines.length} lines`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    const down = await closedPort();
    url = `http://127.0.0.1:${port}`;
    // A relay with a password, read from a file as a container secret would be; it is down, so /health reports it.
    writeFileSync(path.join(secrets, 'smtp_url'), `smtp://relay-user:Hunter2-smtp@127.0.0.1:${down}\n`);
    api = spawn(process.execPath, [path.join(projectRoot(), 'dist/api/main.js')], {
      env: {
        ...process.env, DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, API_PORT: String(port), LOG_LEVEL: 'info',
        TEMPORAL_ADDRESS: `127.0.0.1:${down}`, SMTP_URL_FILE: path.join(secrets, 'smtp_url'), PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stderr!.on('data', (chunk: Buffer) => { errors += chunk.toString('utf8'); });
    let rest = '';
    api.stdout!.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const complete = text.split('\n');
      rest = complete.pop()!;
      for (const line of complete) if (line.trim()) lines.push(JSON.parse(line));
    });
    await waitForLine((l) => l.msg === 'API listening', 'start-up');
  });
  after(async () => {
    if (api && api.exitCode === null) {
      const exited = new Promise((resolve) => api.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    rmSync(secrets, { recursive: true, force: true });
  });

  it('logs the response with method, route, status, duration, request id and actor, and nothing of the headers', async () => {
    const { apiKey } = await new CredentialStore(db.dataSource).issue({ role: 'auditor', subject: 'ada' });
    const requestId = '7d0c6a4e-0000-4000-8000-000000000001';

    const res = await fetch(`${url}/requests/${requestId}?software=secret-query`, {
      headers: { authorization: `Bearer ${apiKey}`, 'x-request-id': 'trace-4711', cookie: 'session=cookie-secret-42', 'user-agent': 'agent-4711' },
    });

    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-request-id'), 'trace-4711');
    const line = await waitForLine((l) => l.req?.id === 'trace-4711' && l.res?.statusCode === 404, 'the response');
    assert.equal(line.name, 'api');
    assert.deepEqual(line.req, { id: 'trace-4711', method: 'GET' });
    assert.deepEqual(line.res, { statusCode: 404 });
    assert.equal(line.route, '/requests/:requestId');
    assert.equal(typeof line.responseTime, 'number');
    assert.deepEqual(line.actor, { id: 'ada', role: 'auditor' });
    const logged = JSON.stringify(lines);
    for (const secret of [apiKey, 'cookie-secret-42', 'agent-4711', 'secret-query', requestId]) {
      assert.ok(!logged.includes(secret), `the log carries ${secret}`);
    }
  });

  it('reports the relay down without its password, and warns that the development key is in use', async () => {
    const res = await fetch(`${url}/health`);
    assert.equal(res.status, 503);
    assert.match(JSON.stringify(await res.json()), /smtp/i);
    await waitForLine((l) => l.res?.statusCode === 503 && l.route === '/health', 'the health response');
    assert.ok(lines.some((l) => /public development key/.test(l.msg)), 'no warning about the development key');
    assert.doesNotMatch(JSON.stringify(lines) + errors, /Hunter2|relay-user/);
  });

  it('never logs a session cookie, a sign-in token or a CSRF token', async () => {
    const people = new PeopleStore(db.dataSource);
    const sessions = new ConsoleSessions(db.dataSource);
    const person = await people.add({ email: 'olga@provider.example', role: 'operator' });
    const link = await sessions.issueLink(person.id, 15);

    const opened = await fetch(`${url}/console/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'session-1' }, body: JSON.stringify({ token: link }),
    });
    assert.equal(opened.status, 200);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0];
    const session = (await sessions.find(decodeURIComponent(cookie.split('=')[1])))!;
    const signedOut = await fetch(`${url}/console/sign-out`, {
      method: 'POST', headers: { cookie, 'x-csrf-token': session.csrfToken, 'x-request-id': 'session-2' },
    });
    assert.equal(signedOut.status, 200);

    const line = await waitForLine((l) => l.req?.id === 'session-2' && l.res, 'the sign-out');
    assert.equal(line.req.headers, undefined, 'no header is logged');
    await waitForLine((l) => l.req?.id === 'session-1' && l.res, 'the sign-in');
    const logged = JSON.stringify(lines);
    for (const secret of [link, cookie.split('=')[1], session.csrfToken]) assert.ok(!logged.includes(secret), 'a secret appears in the log');
  });
});
