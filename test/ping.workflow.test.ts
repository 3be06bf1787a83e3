import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { createActivities } from '../activities';
import { createMailTransport } from '../platform/mail/mail-transport';
import { PingResult } from '../platform/database/ping-result.entity';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';
import { pingWorkflow } from '../workflows';
import { createTestDatabase, type TestDatabase } from './support/database';
import { TestMailbox } from './support/mailbox';
import { startTimeSkippingServer } from './support/temporal';

describe('ping workflow on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let mailbox: TestMailbox;

  before(async () => {
    [env, db, mailbox] = await Promise.all([startTimeSkippingServer(), createTestDatabase(), TestMailbox.start()]);
  });
  after(async () => {
    await Promise.all([env?.teardown(), db?.drop(), mailbox?.close()]);
  });

  it('sleeps 7 days in skipped time, writes a row and sends a mail', async () => {
    const taskQueue = `ping-${randomUUID()}`;
    const mailer = createMailTransport({ smtpUrl: mailbox.url, from: 'test@managed-updates.local', operationsEmail: 'ops@example.test', smtpUrlGiven: true });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
      activities: createActivities({ dataSource: db.dataSource, mailer, operationsEmail: 'ops@example.test' }),
    });
    const workflowId = `ping-${randomUUID()}`;
    const started = Date.now();
    const outcome = await worker.runUntil(
      env.client.workflow.execute(pingWorkflow, { taskQueue, workflowId, args: [{ message: 'hello', delay: '7 days' }] }),
    );
    const wallMs = Date.now() - started;
    mailer.close();

    assert.equal(outcome.workflowId, workflowId);
    assert.equal(outcome.message, 'hello');
    assert.ok(wallMs < 20_000, `7 days must be skipped, took ${wallMs} ms of wall time`);
    const row = await db.dataSource.getRepository(PingResult).findOneByOrFail({ id: outcome.id });
    assert.equal(row.workflowId, workflowId);
    const [mail] = await mailbox.waitFor(1);
    assert.equal(mail.subject, `Ping ${workflowId}`);
    assert.match(mail.text ?? '', /hello/);
    assert.equal(mail.messageId, outcome.mailId);
  });
});
