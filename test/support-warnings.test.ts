import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import type { Transporter } from 'nodemailer';
import { createSupportWarningsActivities } from '../activities/support-warnings.activities';
import { CredentialStore } from '../api/auth/credential-store';
import { InstalledSoftwareStore } from '../platform/inventory/installed-software-store';
import { InventoryStore } from '../platform/inventory/inventory-store';
import { VendorStore } from '../platform/inventory/vendor-store';
import { createMailTransport } from '../platform/mail/mail-transport';
import { ensureSupportWarningsSchedule } from '../platform/support-warnings-schedule';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';
import { SUPPORT_WARNINGS_SCHEDULE_ID, type SupportWarningsOutcome } from '../workflows/support-warnings.contract';
import { recipientsOf } from './support/calendar';
import { createTestDatabase, type TestDatabase } from './support/database';
import { TestMailbox } from './support/mailbox';
import { startDevServerClient, startTimeSkippingServer, type DevServerClient } from './support/temporal';

const DAY_MS = 86_400_000;

describe('support-window warnings', () => {
  let db: TestDatabase;
  let mailbox: TestMailbox;
  let mailer: Transporter;

  before(async () => {
    [db, mailbox] = await Promise.all([createTestDatabase(), TestMailbox.start()]);
    mailer = createMailTransport({ smtpUrl: mailbox.url, from: 'updates@example.test', operationsEmail: 'ops@example.test', smtpUrlGiven: true });
  });
  after(async () => {
    mailer?.close();
    await Promise.all([mailbox?.close(), db?.drop()]);
  });

  describe('the workflow and its activity, on the time-skipping server', () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let running: Promise<void>;
    const taskQueue = `warnings-${randomUUID()}`;
    let today: DateTime;

    /** Installs `software` `version` on the customer's `system`, a release whose support ends `daysLeft` days after today. */
    async function install(customerId: string, system: string, software: string, version: string, daysLeft: number): Promise<void> {
      const endsOn = today.plus({ days: daysLeft });
      await new InventoryStore(db.dataSource).put({ customerId, name: system });
      const release = await new VendorStore(db.dataSource).putRelease({
        vendor: 'Contoso', software, version, releasedOn: endsOn.minus({ months: 24 }).toISODate()!, supportedMonths: 24,
      });
      assert.equal(release.supportEndsOn, endsOn.toISODate());
      await new InstalledSoftwareStore(db.dataSource).put({ customerId, system, software, vendor: 'Contoso', version, component: 'server', updatedBy: 'op' });
    }

    before(async () => {
      env = await startTimeSkippingServer();
      today = DateTime.fromMillis(await env.currentTimeMs(), { zone: 'UTC' }).startOf('day');
      const customers = new CredentialStore(db.dataSource);
      await customers.createCustomer({ id: 'bauer', name: 'Bauer GmbH', language: 'de' });
      await customers.createCustomer({ id: 'acme', name: 'Acme AG' });
      await customers.createCustomer({ id: 'silent', name: 'Silent AG' });
      await db.dataSource.query(`INSERT INTO people (id, email, role, customer_id) VALUES ($1, 'it@bauer.example', 'customer', 'bauer'),
        ($2, 'it@acme.example', 'customer', 'acme'), ($3, 'gone@acme.example', 'customer', 'acme')`, [randomUUID(), randomUUID(), randomUUID()]);
      await db.dataSource.query(`UPDATE people SET disabled_at = now() WHERE email = 'gone@acme.example'`);
      await install('bauer', 'bauer-app', 'Ledger', '4.1', 59);
      await install('bauer', 'bauer-archive', 'Archive', '2.0', 90);
      await install('acme', 'acme-app', 'Payroll', '7.3', 30);
      await install('acme', 'acme-old', 'Payroll', '6.0', -1);
      await install('silent', 'silent-app', 'Ledger', '4.0', 10);
      worker = await Worker.create({
        connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
        activities: createSupportWarningsActivities({ dataSource: db.dataSource, mailer }),
      });
      running = worker.run();
    });
    after(async () => {
      worker?.shutdown();
      await running;
      await env?.teardown();
    });

    // A client that leaves the clock alone while it waits for a result (the test environment's own
    // skips ahead whenever nothing is scheduled): time moves only by `env.sleep`, as the days pass.
    const check = () => new Client({ connection: env.connection }).workflow.execute('supportWarningsWorkflow', { args: [{}], taskQueue, workflowId: `warnings-${randomUUID()}` }) as Promise<SupportWarningsOutcome>;
    const warned = async () => (await db.dataSource.query(
      `SELECT customer_id, system_name, version FROM support_warnings ORDER BY customer_id, system_name`) as Array<{ customer_id: string; system_name: string; version: string }>)
      .map((r) => `${r.customer_id}/${r.system_name}/${r.version}`);

    it("warns each customer once, in its language, of releases leaving support within 60 days; not of those further out or already out", async () => {
      const outcome = await check();

      assert.deepEqual(outcome, { date: today.toISODate(), warned: ['acme', 'bauer'], refused: [], unaddressed: ['silent'] });
      const mails = await mailbox.waitFor(2);
      const bauer = mails.find((m) => recipientsOf(m).includes('it@bauer.example'))!;
      assert.equal(bauer.subject, 'Support endet bald für 1 installierte Version');
      const endsOn = today.plus({ days: 59 }).setLocale('de-DE').toLocaleString(DateTime.DATE_FULL);
      assert.match(bauer.text!, /^Guten Tag Bauer GmbH,$/m);
      assert.ok(bauer.text!.includes(`- Contoso Ledger 4.1 auf bauer-app: Support endet am ${endsOn} (noch 59 Tage)`), bauer.text);
      assert.ok(!bauer.text!.includes('Archive'), '90 days ahead is not yet warned');
      const acme = mails.find((m) => recipientsOf(m).includes('it@acme.example'))!;
      assert.deepEqual(recipientsOf(acme), ['it@acme.example'], 'a disabled person is not written to');
      assert.equal(acme.subject, 'Support ends soon for 1 installed release');
      assert.ok(acme.text!.includes(`- Contoso Payroll 7.3 on acme-app: support ends on ${today.plus({ days: 30 }).setLocale('en-GB').toLocaleString(DateTime.DATE_FULL)} (in 30 days)`), acme.text);
      assert.ok(!acme.text!.includes('6.0'), 'a release already out of support is not warned of');
      assert.deepEqual(await warned(), ['acme/acme-app/7.3', 'bauer/bauer-app/4.1']);
    });

    it('sends nothing twice on the next run', async () => {
      assert.deepEqual(await check(), { date: today.toISODate(), warned: [], refused: [], unaddressed: ['silent'] });
      await env.sleep(DAY_MS);
      assert.deepEqual(await check(), { date: today.plus({ days: 1 }).toISODate(), warned: [], refused: [], unaddressed: ['silent'] });
      assert.equal(mailbox.messages.length, 2);
    });

    it('warns of the release 90 days ahead once time has brought it within 60 days', async () => {
      await env.sleep(30 * DAY_MS);
      const outcome = await check();
      assert.equal(outcome.date, today.plus({ days: 31 }).toISODate());
      assert.deepEqual(outcome.warned, ['bauer']);
      const [, , later] = await mailbox.waitFor(3);
      assert.deepEqual(recipientsOf(later), ['it@bauer.example']);
      assert.ok(later.text!.includes('- Contoso Archive 2.0 auf bauer-archive: Support endet am'), later.text);
      assert.ok(later.text!.includes('(noch 59 Tage)'), later.text);
      assert.ok(!later.text!.includes('Ledger'), 'the release warned of before is not repeated');
      assert.deepEqual(await warned(), ['acme/acme-app/7.3', 'bauer/bauer-app/4.1', 'bauer/bauer-archive/2.0']);
      const rows = await db.dataSource.query(`SELECT status FROM outbox_messages WHERE kind = 'support-ending'`);
      assert.deepEqual(rows.map((r: { status: string }) => r.status), ['sent', 'sent', 'sent']);
    });
  });

  describe('the Temporal Schedule the worker ensures at start, on the dev server', () => {
    let dev: DevServerClient;
    let client: Client;
    const timing = { timeZone: 'Europe/Zurich', taskQueue: `warnings-${randomUUID()}` };

    before(async () => {
      dev = await startDevServerClient();
      client = dev.client;
    });
    after(async () => { await dev?.stop(); });

    it('creates one daily schedule at the hour, moves it when the hour changes and removes it when off', async () => {
      const nextRuns = async () => (await client.schedule.getHandle(SUPPORT_WARNINGS_SCHEDULE_ID).describe()).info.nextActionTimes;
      const local = (at: Date) => DateTime.fromJSDate(at, { zone: 'Europe/Zurich' });
      assert.equal(await ensureSupportWarningsSchedule(client, { ...timing, hour: 7 }), 'created');
      assert.equal(await ensureSupportWarningsSchedule(client, { ...timing, hour: 7 }), 'updated', 'a second worker start changes nothing');
      const runs = (await nextRuns()).map(local);
      assert.ok(runs.length >= 2);
      for (const run of runs) assert.equal(run.toFormat('HH:mm'), '07:00', run.toISO()!);
      assert.equal(runs[1].diff(runs[0], 'days').days, 1, 'every day');

      await ensureSupportWarningsSchedule(client, { ...timing, hour: 5 });
      assert.equal(local((await nextRuns())[0]).toFormat('HH:mm'), '05:00');
      const described = await client.schedule.getHandle(SUPPORT_WARNINGS_SCHEDULE_ID).describe();
      assert.equal(described.action.type === 'startWorkflow' && described.action.workflowType, 'supportWarningsWorkflow');

      assert.equal(await ensureSupportWarningsSchedule(client, { ...timing, hour: null }), 'deleted');
      assert.equal(await ensureSupportWarningsSchedule(client, { ...timing, hour: null }), 'off');
      await assert.rejects(client.schedule.getHandle(SUPPORT_WARNINGS_SCHEDULE_ID).describe(), /not found/i);
    });
  });
});
