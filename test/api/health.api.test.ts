import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CredentialStore } from '../../api/auth/credential-store';
import { closedPort, startApi, testConfig, type RunningApi } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestMailbox } from '../support/mailbox';
import { startTimeSkippingServer } from '../support/temporal';

interface HealthBody {
  status?: string;
  statusCode?: number;
  message?: string;
  details: Record<string, { status: string; message?: string }>;
}

describe('GET /health and unreachable dependencies over HTTP', () => {
  let temporal: TestWorkflowEnvironment;
  let db: TestDatabase;
  let mailbox: TestMailbox;
  const apis: RunningApi[] = [];

  before(async () => {
    [temporal, db, mailbox] = await Promise.all([startTimeSkippingServer(), createTestDatabase(), TestMailbox.start()]);
  });
  after(async () => {
    await Promise.all(apis.map((api) => api.app.close()));
    await Promise.all([temporal?.teardown(), db?.drop(), mailbox?.close()]);
  });

  async function sutWith(env: NodeJS.ProcessEnv = {}): Promise<RunningApi> {
    const api = await startApi(testConfig(temporal, db, mailbox, env));
    apis.push(api);
    return api;
  }

  it('is 200 with temporal, database and smtp up', async () => {
    const sut = await sutWith();

    const res = await fetch(`${sut.url}/health`);

    assert.equal(res.status, 200);
    const body = (await res.json()) as HealthBody;
    assert.equal(body.status, 'ok');
    assert.deepEqual(body.details, {
      temporal: { status: 'up' }, database: { status: 'up' }, smtp: { status: 'up' }, workflowTasks: { status: 'up', failing: [] },
    });
  });

  it('is 503 naming smtp when the SMTP relay is down', async () => {
    const sut = await sutWith({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });

    const res = await fetch(`${sut.url}/health`);

    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    const body = (await res.json()) as HealthBody;
    assert.equal(body.statusCode, 503);
    assert.equal(body.message, 'down: smtp');
    assert.equal(body.details.smtp.status, 'down');
    assert.match(body.details.smtp.message ?? '', /ECONNREFUSED/);
    assert.equal(body.details.temporal.status, 'up');
    assert.equal(body.details.database.status, 'up');
  });

  it('answers POST /ping with 503 and Retry-After when Temporal is unreachable, and /health names temporal', async () => {
    const sut = await sutWith({ TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` });

    const { apiKey } = await new CredentialStore(db.dataSource).issue({ role: 'operator', subject: 'olga' });
    const ping = await fetch(`${sut.url}/ping`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: '{"message":"hi"}',
    });

    assert.equal(ping.status, 503);
    assert.equal(ping.headers.get('retry-after'), '5');
    assert.deepEqual(await ping.json(), { statusCode: 503, error: 'Service Unavailable', message: 'Temporal is unreachable, try again later' });
    const health = await fetch(`${sut.url}/health`);
    assert.equal(health.status, 503);
    assert.equal(((await health.json()) as HealthBody).message, 'down: temporal');
  });
});
