import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Client, WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createMaintenancePlanActivities } from '../activities/maintenance-plan.activities';
import { createMailTransport } from '../platform/mail/mail-transport';
import { ensureMaintenancePlanSchedule } from '../platform/maintenance-plan-schedule';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';
import { MAINTENANCE_PLAN_SCHEDULE_ID, type MaintenancePlanOutcome } from '../workflows/maintenance-plan.contract';
import type { UpdateStatus } from '../workflows/update-request.contract';
import { recipientsOf } from './support/calendar';
import { createTestDatabase, type TestDatabase } from './support/database';
import { TestMailbox } from './support/mailbox';
import { startDevServerClient, startTimeSkippingServer, type DevServerClient } from './support/temporal';

/** A row of the read model as the workflow would have written it, with the submitted request's targets and contacts. */
async function slotRow(db: TestDatabase, customerId: string, status: UpdateStatus, start: string, software = 'Ledger'): Promise<string> {
  const requestId = randomUUID();
  const request = { targets: [{ name: `${customerId}-app-01` }], contacts: [{ name: 'IT', email: `it@${customerId}.example` }] };
  await db.dataSource.query(
    `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category, status, current_step,
       scheduled_start, scheduled_end, submitted_at, updated_at, request)
     VALUES ($1, $2, $3, $4, '4.2', 'feature', $5, $5, $6, $6::timestamptz + interval '2 hours', now(), now(), $7)`,
    [requestId, `update-request-${requestId}`, customerId, software, status, start, JSON.stringify(request)]);
  return requestId;
}

describe('monthly maintenance plan', () => {
  let db: TestDatabase;
  let mailbox: TestMailbox;
  let mailer: Transporter;
  const planned: Record<string, string> = {};

  before(async () => {
    [db, mailbox] = await Promise.all([createTestDatabase(), TestMailbox.start()]);
    mailer = createMailTransport({ smtpUrl: mailbox.url, from: 'updates@example.test', operationsEmail: 'ops@example.test', smtpUrlGiven: true });
    await db.dataSource.query(`INSERT INTO customers (id, name, time_zone) VALUES
      ('acme', 'Acme AG', 'Europe/Zurich'), ('globex', 'Globex', 'America/New_York'), ('initech', 'Initech', 'Europe/Zurich')`);
    await db.dataSource.query(`INSERT INTO customers (id, name, time_zone, language) VALUES ('bauer', 'Bauer GmbH', 'Europe/Berlin', 'de')`);
    planned.acmeFirst = await slotRow(db, 'acme', 'waiting-for-slot', '2098-12-31T23:30:00Z', 'Payroll'); // 1 January 00:30 in Zurich
    planned.acmeSecond = await slotRow(db, 'acme', 'pre-checks', '2099-01-20T08:00:00Z');
    planned.globex = await slotRow(db, 'globex', 'pre-checks', '2099-01-31T23:30:00Z'); // still 31 January in New York
    planned.proposedOnly = await slotRow(db, 'acme', 'scheduling', '2099-01-21T08:00:00Z');
    planned.cancelled = await slotRow(db, 'globex', 'cancelled', '2099-01-22T08:00:00Z');
    planned.february = await slotRow(db, 'acme', 'pre-checks', '2099-02-01T08:00:00Z');
    planned.initechDecember = await slotRow(db, 'initech', 'pre-checks', '2098-12-30T08:00:00Z');
    planned.bauer = await slotRow(db, 'bauer', 'waiting-for-slot', '2099-01-15T08:00:00Z', 'Lohn');
    planned.acmeMarch = await slotRow(db, 'acme', 'pre-checks', '2099-03-10T08:00:00Z');
    planned.initechMarch = await slotRow(db, 'initech', 'pre-checks', '2099-03-11T08:00:00Z');
  });
  after(async () => {
    mailer?.close();
    await Promise.all([mailbox?.close(), db?.drop()]);
  });

  describe('the workflow and its activity, on the time-skipping server', () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let running: Promise<void>;
    const taskQueue = `plan-${randomUUID()}`;

    before(async () => {
      env = await startTimeSkippingServer();
      worker = await Worker.create({
        connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
        activities: createMaintenancePlanActivities({ dataSource: db.dataSource, mailer }),
      });
      running = worker.run();
    });
    after(async () => {
      worker?.shutdown();
      await running;
      await env?.teardown();
    });

    const plan = (args: [{ month?: string }]) => env.client.workflow.execute('maintenancePlanWorkflow', { args, taskQueue, workflowId: `plan-${randomUUID()}` }) as Promise<MaintenancePlanOutcome>;

    it("mails each customer with agreed slots in the month one message listing them, in the customer's time zone", async () => {
      const outcome = await plan([{ month: '2099-01' }]);

      assert.deepEqual(outcome, { month: '2099-01', sent: ['acme', 'bauer', 'globex'], refused: [] });
      const mails = await mailbox.waitFor(3);
      assert.equal(mails.length, 3);
      const acme = mails.find((m) => recipientsOf(m).includes('it@acme.example'))!;
      assert.equal(acme.subject, 'Maintenance plan for January 2099: 2 updates');
      assert.match(acme.text!, /Hello Acme AG,/);
      assert.match(acme.text!, /Thursday 1 January 2099, 00:30 Europe\/Zurich to Thursday 1 January 2099, 02:30 Europe\/Zurich: Payroll 4\.2 on acme-app-01/);
      assert.match(acme.text!, /Tuesday 20 January 2099, 09:00 Europe\/Zurich/);
      for (const left of [planned.proposedOnly, planned.february, planned.cancelled, planned.globex]) assert.ok(!acme.text!.includes(left), left);
      assert.ok(acme.text!.includes(planned.acmeFirst) && acme.text!.includes(planned.acmeSecond));
      const globex = mails.find((m) => recipientsOf(m).includes('it@globex.example'))!;
      assert.match(globex.text!, /Saturday 31 January 2099, 18:30 America\/New_York/);
      assert.ok(!globex.text!.includes(planned.cancelled), 'a cancelled request is no plan');
      assert.deepEqual(recipientsOf(globex), ['it@globex.example']);
      // A German customer reads its plan in German, with German dates.
      const bauer = mails.find((m) => recipientsOf(m).includes('it@bauer.example'))!;
      assert.equal(bauer.subject, 'Wartungsplan für Januar 2099: 1 Update');
      assert.match(bauer.text!, /^Guten Tag Bauer GmbH,$/m);
      assert.match(bauer.text!, /^- Donnerstag, 15\. Januar 2099, 09:00 Uhr \(Europe\/Berlin\) bis Donnerstag, 15\. Januar 2099, 11:00 Uhr \(Europe\/Berlin\): Lohn 4\.2 auf bauer-app-01 \(Auftrag /m);
      assert.match(String(bauer.html), /<html lang="de">/);
    });

    it('sends no plan twice for the same month, and plans the next month when none is given', async () => {
      assert.deepEqual(await plan([{ month: '2099-01' }]), { month: '2099-01', sent: [], refused: [] });
      const now = new Date(await env.currentTimeMs());
      const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
      assert.equal((await plan([{}])).month, next);
      assert.equal(mailbox.messages.length, 3);
      const rows: Array<{ id: string; status: string; request_id: string | null }> =
        await db.dataSource.query(`SELECT id, status, request_id FROM outbox_messages WHERE kind = 'maintenance-plan' ORDER BY id`);
      assert.deepEqual(rows, [
        { id: 'maintenance-plan/acme/2099-01', status: 'sent', request_id: null },
        { id: 'maintenance-plan/bauer/2099-01', status: 'sent', request_id: null },
        { id: 'maintenance-plan/globex/2099-01', status: 'sent', request_id: null },
      ]);
    });

    it('refuses a month that is not YYYY-MM without sending anything', async () => {
      await assert.rejects(plan([{ month: '2099-13' }]), (err: unknown) =>
        err instanceof WorkflowFailedError && /month must be YYYY-MM, not 2099-13/.test(String((err.cause?.cause as Error | undefined)?.message)));
      assert.equal(mailbox.messages.length, 3);
    });
  });

  it('records the plans a relay refuses for good as failed, goes on with the next customer, and does not send them later', async () => {
    // A relay that answers 550 to every message: a permanent refusal.
    const relay = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 })));
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const refusing = createMailTransport({
      smtpUrl: `smtp://127.0.0.1:${(relay.server.address() as { port: number }).port}`, from: 'updates@example.test', operationsEmail: 'ops@example.test', smtpUrlGiven: true,
    });
    const env = await startTimeSkippingServer();
    const taskQueue = `plan-${randomUUID()}`;
    try {
      const run = (transport: Transporter) => Worker.create({
        connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
        activities: createMaintenancePlanActivities({ dataSource: db.dataSource, mailer: transport }),
      }).then((worker) => worker.runUntil(env.client.workflow.execute('maintenancePlanWorkflow', { args: [{ month: '2099-03' }], taskQueue, workflowId: `plan-${randomUUID()}` })));

      assert.deepEqual(await run(refusing), { month: '2099-03', sent: [], refused: ['acme', 'initech'] });
      const rows = await db.dataSource.query(`SELECT id, status, last_error FROM outbox_messages WHERE id LIKE 'maintenance-plan/%/2099-03' ORDER BY id`);
      assert.deepEqual(rows.map((r: { id: string; status: string }) => [r.id, r.status]), [['maintenance-plan/acme/2099-03', 'failed'], ['maintenance-plan/initech/2099-03', 'failed']]);
      assert.match(rows[0].last_error, /mailbox unavailable/);

      const received = mailbox.messages.length;
      assert.deepEqual(await run(mailer), { month: '2099-03', sent: [], refused: [] }, 'a refused plan is not retried by a later run');
      assert.equal(mailbox.messages.length, received);
    } finally {
      refusing.close();
      await env.teardown();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  describe('the Temporal Schedule the worker ensures at start, on the dev server', () => {
    let dev: DevServerClient;
    let client: Client;
    const taskQueue = `plan-${randomUUID()}`;
    const timing = { timeZone: 'Europe/Zurich', taskQueue };

    before(async () => {
      dev = await startDevServerClient();
      client = dev.client;
    });
    after(async () => { await dev?.stop(); });

    const nextRuns = async () => (await client.schedule.getHandle(MAINTENANCE_PLAN_SCHEDULE_ID).describe()).info.nextActionTimes.map((t) => t.toISOString());

    it('creates the schedule once, moves it when the day changes and removes it when the plan is off', async () => {
      assert.equal(await ensureMaintenancePlanSchedule(client, { ...timing, day: 28 }), 'created');
      assert.equal(await ensureMaintenancePlanSchedule(client, { ...timing, day: 28 }), 'updated', 'a second worker start changes nothing');
      const runs = await nextRuns();
      assert.ok(runs.length > 0);
      for (const run of runs) {
        const local = new Date(run).toLocaleString('en-GB', { timeZone: 'Europe/Zurich', day: 'numeric', hour: '2-digit', minute: '2-digit' });
        assert.equal(local, '28, 06:00', run);
      }
      const ids = [];
      for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId);
      assert.deepEqual(ids.filter((id) => id === MAINTENANCE_PLAN_SCHEDULE_ID), [MAINTENANCE_PLAN_SCHEDULE_ID]);

      await ensureMaintenancePlanSchedule(client, { ...timing, day: 5 });
      assert.match(new Date((await nextRuns())[0]).toLocaleString('en-GB', { timeZone: 'Europe/Zurich', day: 'numeric' }), /^5$/);

      assert.equal(await ensureMaintenancePlanSchedule(client, { ...timing, day: null }), 'deleted');
      assert.equal(await ensureMaintenancePlanSchedule(client, { ...timing, day: null }), 'off');
      await assert.rejects(client.schedule.getHandle(MAINTENANCE_PLAN_SCHEDULE_ID).describe(), /not found/i);
    });

    it("starts the plan's workflow, which the production bundle runs", async () => {
      await ensureMaintenancePlanSchedule(client, { ...timing, day: 28 });
      const nativeConnection = await NativeConnection.connect({ address: dev.server.address });
      const worker = await Worker.create({
        connection: nativeConnection, taskQueue, workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
        activities: createMaintenancePlanActivities({ dataSource: db.dataSource, mailer }),
      });
      try {
        const result = await worker.runUntil(async () => {
          const handle = client.schedule.getHandle(MAINTENANCE_PLAN_SCHEDULE_ID);
          await handle.trigger();
          for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
            const [started] = (await handle.describe()).info.recentActions;
            if (started) return client.workflow.getHandle(started.action.workflow.workflowId, started.action.workflow.firstExecutionRunId).result();
          }
          throw new Error('the schedule started no workflow');
        });
        const now = new Date();
        assert.equal(result.month, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7));
      } finally {
        await nativeConnection.close();
        await ensureMaintenancePlanSchedule(client, { ...timing, day: null });
      }
    });
  });
});
