import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CredentialStore } from '../../api/auth/credential-store';
import { PingResult } from '../../platform/database/ping-result.entity';
import type { PingOutcome } from '../../workflows/ping.contract';
import { startApi, startWorker, testConfig, type RunningApi, type RunningWorker } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestMailbox } from '../support/mailbox';
import { startTimeSkippingServer } from '../support/temporal';

describe('POST /ping over HTTP with Temporal, a worker, PostgreSQL and SMTP', () => {
  let temporal: TestWorkflowEnvironment;
  let db: TestDatabase;
  let mailbox: TestMailbox;
  let worker: RunningWorker;
  let sut: RunningApi;
  let operatorKey: string;

  before(async () => {
    [temporal, db, mailbox] = await Promise.all([startTimeSkippingServer(), createTestDatabase(), TestMailbox.start()]);
    const config = testConfig(temporal, db, mailbox);
    [worker, sut] = await Promise.all([startWorker(config, temporal, db), startApi(config)]);
    ({ apiKey: operatorKey } = await new CredentialStore(db.dataSource).issue({ role: 'operator', subject: 'olga' }));
  });
  after(async () => {
    await sut?.app.close();
    await worker?.stop();
    await Promise.all([temporal?.teardown(), db?.drop(), mailbox?.close()]);
  });

  const post = (body: string, key: string | undefined = operatorKey) =>
    fetch(`${sut.url}/ping`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });

  it('runs the ping workflow and returns its outcome; the row and the mail exist', async () => {
    const res = await post(JSON.stringify({ message: 'hello from the API' }));

    assert.equal(res.status, 201);
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const outcome = (await res.json()) as PingOutcome;
    assert.match(outcome.workflowId, /^ping-[0-9a-f-]{36}$/);
    assert.equal(outcome.message, 'hello from the API');
    const row = await db.dataSource.getRepository(PingResult).findOneByOrFail({ id: outcome.id });
    assert.equal(row.workflowId, outcome.workflowId);
    const mails = await mailbox.waitFor(1);
    assert.ok(mails.some((m) => m.messageId === outcome.mailId && m.subject === `Ping ${outcome.workflowId}`));
  });

  it('refuses a bad body with 400, one message per field, and starts nothing', async () => {
    const rowsBefore = await db.dataSource.getRepository(PingResult).count();
    const mailsBefore = mailbox.messages.length;

    const res = await post(JSON.stringify({ message: 42, extra: true }));

    assert.equal(res.status, 400);
    const body = (await res.json()) as { statusCode: number; error: string; message: string[] };
    assert.equal(body.statusCode, 400);
    assert.equal(body.error, 'Bad Request');
    assert.deepEqual([...body.message].sort(), ['message must be a string', 'property extra should not exist']);
    assert.equal(await db.dataSource.getRepository(PingResult).count(), rowsBefore);
    assert.equal(mailbox.messages.length, mailsBefore);
  });

  it('refuses an empty and a too long message', async () => {
    for (const [message, expected] of [['', 'longer than or equal to 1'], ['x'.repeat(201), 'shorter than or equal to 200']]) {
      const res = await post(JSON.stringify({ message }));
      assert.equal(res.status, 400);
      const body = (await res.json()) as { message: string[] };
      assert.equal(body.message.length, 1);
      assert.match(body.message[0], new RegExp(`^message must be ${expected} characters$`));
    }
  });

  it('answers malformed JSON with 400 and an oversized body with 413, in the same error format', async () => {
    const malformed = await post('{"message":');
    assert.equal(malformed.status, 400);
    assert.deepEqual(Object.keys((await malformed.json()) as object).sort(), ['error', 'message', 'statusCode']);

    const oversized = await post(JSON.stringify({ message: 'x'.repeat(100_000) }));
    assert.equal(oversized.status, 413);
    assert.deepEqual(await oversized.json(), { statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' });
  });

  it('is for operators only: 401 without a key, 403 for a customer', async () => {
    const store = new CredentialStore(db.dataSource);
    await store.createCustomer({ id: 'acme', name: 'Acme AG' });
    const { apiKey: customerKey } = await store.issue({ role: 'customer', customerId: 'acme', subject: 'clara' });
    const rowsBefore = await db.dataSource.getRepository(PingResult).count();

    const anonymous = await post('{"message":"hi"}', '');
    const customer = await post('{"message":"hi"}', customerKey);

    assert.equal(anonymous.status, 401);
    assert.equal(customer.status, 403);
    assert.equal(await db.dataSource.getRepository(PingResult).count(), rowsBefore);
  });

  it('answers an unknown route with 404 in the same error format', async () => {
    const res = await fetch(`${sut.url}/nowhere`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { statusCode: 404, error: 'Not Found', message: 'Cannot GET /nowhere' });
  });
});
