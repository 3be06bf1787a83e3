import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Transporter } from 'nodemailer';
import { createNotificationActivities } from '../activities/notification.activities';
import { CredentialStore } from '../api/auth/credential-store';
import { createMailTransport } from '../platform/mail/mail-transport';
import { startSmtpCapture } from '../platform/mail/smtp-capture';
import type { Notification } from '../workflows/activity-contract';
import { calendarOf, recipientsOf } from './support/calendar';
import { createTestDatabase, type TestDatabase } from './support/database';
import { TestMailbox } from './support/mailbox';

const OPS = 'ops@example.test';

function notification(requestId: string, overrides: Partial<Notification> = {}): Notification {
  return {
    kind: 'slot-proposed',
    audience: 'customer',
    occurrence: '2026-12-01T14:00:00.000Z',
    subject: {
      requestId,
      customerId: 'acme',
      category: 'maintenance',
      severity: 'minor',
      software: { name: 'Ledger', vendor: 'Contoso', currentVersion: '4.1', targetVersion: '4.2' },
      timeZone: 'America/New_York',
      contacts: [{ name: 'Ada', email: 'ada@acme.test' }, { name: 'Bob', email: 'bob@acme.test' }],
      targets: ['ledger-app-1'],
      expectedDurationMinutes: 90,
    },
    slot: { start: '2026-12-01T14:00:00Z', end: '2026-12-01T16:00:00Z', withinSupportHours: false, surcharge: true },
    ...overrides,
  };
}

describe('notify: templates, outbox and a real SMTP server', () => {
  let db: TestDatabase;
  let mailbox: TestMailbox;
  let mailer: Transporter;
  let sut: ReturnType<typeof createNotificationActivities>;

  before(async () => {
    [db, mailbox] = await Promise.all([createTestDatabase(), TestMailbox.start()]);
    mailer = createMailTransport({ smtpUrl: mailbox.url, from: 'updates@example.test', operationsEmail: OPS, smtpUrlGiven: true });
    sut = createNotificationActivities({ dataSource: db.dataSource, mailer, operationsEmail: OPS });
  });
  beforeEach(() => {
    mailbox.messages.splice(0);
    mailbox.refusal = undefined;
  });
  after(async () => {
    mailer?.close();
    await Promise.all([mailbox?.close(), db?.drop()]);
  });

  const outboxRow = async (requestId: string, kind: string) =>
    (await db.dataSource.query(`SELECT status, attempts, last_error, recipients FROM outbox_messages WHERE request_id = $1 AND kind = $2`, [requestId, kind]))[0];

  /** Gives the relay a moment to deliver anything still in flight before counting. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  it("mails the customer's contacts in text and HTML, times in their zone, with accept instructions", async () => {
    const requestId = randomUUID();

    await sut.notify(notification(requestId));

    const [mail] = await mailbox.waitFor(1);
    assert.deepEqual(recipientsOf(mail), ['ada@acme.test', 'bob@acme.test']);
    assert.equal(mail.subject, 'Update slot proposed, please accept: Ledger 4.2');
    assert.equal(mail.messageId, `<${requestId}.slot-proposed.2026-12-01T14=3A00=3A00=2E000Z@managed-updates>`);
    // 14:00Z is 09:00 in New York in December.
    assert.match(mail.text ?? '', /When: Tuesday 1 December 2026, 09:00 America\/New_York to Tuesday 1 December 2026, 11:00 America\/New_York/);
    assert.match(mail.text ?? '', /expected downtime 1 hour 30 minutes\. Please do not use the software during the update/);
    assert.match(mail.text ?? '', /Changes: Contoso Ledger from 4\.1 to 4\.2 \(maintenance update, severity minor\)/);
    assert.match(mail.text ?? '', /\/slot-acceptance\), together with your written confirmation of the off-hours surcharge/);
    assert.match(String(mail.html), /<strong>When:<\/strong> Tuesday 1 December 2026, 09:00 America\/New_York/);
    assert.equal(calendarOf(mail), undefined, 'a proposal is not yet a calendar event');
    assert.deepEqual(await outboxRow(requestId, 'slot-proposed'), { status: 'sent', attempts: 1, last_error: null, recipients: ['ada@acme.test', 'bob@acme.test'] });
  });

  it('escapes HTML a customer typed into the request and into a reason', async () => {
    const requestId = randomUUID();
    const base = notification(requestId);
    const typed = '<script>alert("x")</script><b onmouseover=steal()>Ledger</b>';

    await sut.notify({
      ...base,
      kind: 'cancelled',
      occurrence: 'cancellation',
      subject: { ...base.subject, software: { ...base.subject.software, name: typed }, contacts: [{ name: '<i>Ada</i>', email: 'ada@acme.test' }] },
      details: { reason: '<img src=x onerror=alert(1)> month-end & closing' },
    });

    const [mail] = await mailbox.waitFor(1);
    const html = String(mail.html);
    assert.doesNotMatch(html, /<script|<img|<b onmouseover/);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(html, /Reason: &lt;img src&#x3D;x onerror&#x3D;alert\(1\)&gt; month-end &amp; closing/);
    // The plain text shows what was typed, as text.
    assert.match(mail.text ?? '', /Reason: <img src=x onerror=alert\(1\)> month-end & closing/);
  });

  it('mails operations for the operations audience, with an id per kind and occurrence', async () => {
    const requestId = randomUUID();

    await sut.notify(notification(requestId, {
      kind: 'step-overdue', audience: 'operations', occurrence: 'sign-off-2', slot: undefined,
      details: { step: 'sign-off', deadline: '2026-12-06T14:00:00Z' },
    }));

    const [mail] = await mailbox.waitFor(1);
    assert.deepEqual(recipientsOf(mail), [OPS]);
    assert.equal(mail.subject, 'Escalation: step overdue: Ledger 4.2');
    assert.equal(mail.messageId, `<${requestId}.step-overdue.sign-off-2@managed-updates>`);
    assert.match(mail.text ?? '', /The sign-off step is overdue: it was due by Sunday 6 December 2026, 09:00 America\/New_York/);
    assert.doesNotMatch(mail.text ?? '', /Slot:/);
  });

  describe("in the customer's language", () => {
    /** A customer row with `language`, and a request of theirs. */
    const customerReading = async (language: string) => {
      const customerId = `c-${randomUUID().slice(0, 8)}`;
      await new CredentialStore(db.dataSource).createCustomer({ id: customerId, name: `${customerId} AG`, language });
      return (overrides: Partial<Notification> = {}) => {
        const base = notification(randomUUID(), overrides);
        return { ...base, subject: { ...base.subject, customerId, classification: 'minor-release' as const } };
      };
    };

    it('writes to a German customer in German: subject, body, dates and durations, the invitation', async () => {
      const ofBauer = await customerReading('de');
      const slot = { start: '2026-12-01T14:00:00.000Z', end: '2026-12-01T16:00:00.000Z' };

      await sut.notify(ofBauer({ kind: 'update-announced', calendar: { method: 'REQUEST', sequence: 0, ...slot } }));

      const [mail] = await mailbox.waitFor(1);
      assert.equal(mail.subject, 'Update eingeplant: Ledger 4.2');
      assert.match(mail.text ?? '', /^Ihr Update ist eingeplant\.$/m);
      // 14:00Z is 09:00 in New York in December, written the German way.
      assert.match(mail.text ?? '', /^Wann: Dienstag, 1\. Dezember 2026, 09:00 Uhr \(America\/New_York\) bis Dienstag, 1\. Dezember 2026, 11:00 Uhr \(America\/New_York\)/m);
      assert.match(mail.text ?? '', /erwartete Ausfallzeit 1 Stunde 30 Minuten\./);
      assert.match(mail.text ?? '', /^Änderungen: Contoso Ledger von 4\.1 auf 4\.2 \(Wartungs-Update, Schweregrad gering\)\.$/m);
      assert.match(mail.text ?? '', /^Art des Updates: Minor Release$/m);
      assert.doesNotMatch(mail.text ?? '', /When:|Changes:|expected downtime/);
      assert.match(String(mail.html), /<html lang="de">/);
      assert.match(String(mail.html), /<strong>Wann:<\/strong> Dienstag, 1\. Dezember 2026, 09:00 Uhr/);
      assert.match(calendarOf(mail)!.raw, /^SUMMARY:Update von Ledger auf 4\.2 \(Software bitte nicht benutzen\)$/m);
    });

    it('writes to an English customer as before, and to a customer whose language has no templates in English', async () => {
      const ofAcme = await customerReading('en');
      const ofFrench = await customerReading('fr');

      await sut.notify(ofAcme());
      await sut.notify(ofFrench());

      const mails = await mailbox.waitFor(2);
      for (const mail of mails) {
        assert.equal(mail.subject, 'Update slot proposed, please accept: Ledger 4.2');
        assert.match(mail.text ?? '', /When: Tuesday 1 December 2026, 09:00 America\/New_York to Tuesday 1 December 2026, 11:00 America\/New_York/);
        assert.match(mail.text ?? '', /^Kind of update: minor release$/m);
        assert.match(String(mail.html), /<html lang="en">/);
      }
    });

    it("writes operations' messages about a German customer's request in English", async () => {
      const ofBauer = await customerReading('de');

      await sut.notify(ofBauer({ kind: 'new-request', audience: 'operations', occurrence: 'intake', slot: undefined }));

      const [mail] = await mailbox.waitFor(1);
      assert.deepEqual(recipientsOf(mail), [OPS]);
      assert.equal(mail.subject, 'New update request: Ledger 4.2');
      assert.match(mail.text ?? '', /^Kind of update: minor release$/m);
    });
  });

  it('attaches the invitation: REQUEST with the request UID and sequence, CANCEL with a higher one', async () => {
    const requestId = randomUUID();
    const slot = { start: '2026-12-01T14:00:00.000Z', end: '2026-12-01T16:00:00.000Z' };

    await sut.notify(notification(requestId, { kind: 'update-announced', calendar: { method: 'REQUEST', sequence: 0, ...slot } }));
    await sut.notify(notification(requestId, { kind: 'cancelled', occurrence: 'cancellation', slot: undefined, details: { reason: 'budget' },
      calendar: { method: 'CANCEL', sequence: 1, ...slot } }));

    const [announced, cancelled] = await mailbox.waitFor(2);
    const invitation = calendarOf(announced)!;
    assert.equal(invitation.method, 'REQUEST');
    assert.equal(invitation.uid, `${requestId}@managed-updates`);
    assert.equal(invitation.sequence, 0);
    assert.match(invitation.raw, /DTSTART:20261201T140000Z/);
    assert.match(invitation.raw, /ATTENDEE;[^\n]*mailto:ada@acme\.test/i);
    const cancellation = calendarOf(cancelled)!;
    assert.equal(cancellation.method, 'CANCEL');
    assert.equal(cancellation.uid, invitation.uid);
    assert.equal(cancellation.status, 'CANCELLED');
    assert.ok(cancellation.sequence! > invitation.sequence!);
  });

  it('sends nothing when a message already sent is sent again (a retry after a lost completion)', async () => {
    const requestId = randomUUID();

    await sut.notify(notification(requestId));
    await sut.notify(notification(requestId));

    await mailbox.waitFor(1);
    await settle();
    assert.equal(mailbox.messages.length, 1, mailbox.messages.map((m) => `${m.messageId} ${m.subject}`).join(' | '));
    assert.equal((await outboxRow(requestId, 'slot-proposed')).attempts, 1);
  });

  it('keeps a refused send pending with its error, and delivers it exactly once when the relay is back', async () => {
    const requestId = randomUUID();
    mailbox.refusal = 'mailbox busy, try later';

    const refused = await sut.notify(notification(requestId)).then(() => undefined, (err: unknown) => err);

    assert.ok(refused instanceof ApplicationFailure, 'a refusal is an ApplicationFailure');
    assert.equal(refused.type, 'MailUnavailable');
    assert.equal(refused.nonRetryable, false, 'Temporal retries it with backoff');
    let row = await outboxRow(requestId, 'slot-proposed');
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error, /mailbox busy/);

    mailbox.refusal = undefined;
    await sut.notify(notification(requestId));
    await sut.notify(notification(requestId));

    await mailbox.waitFor(1);
    await settle();
    assert.equal(mailbox.messages.length, 1, mailbox.messages.map((m) => `${m.messageId} ${m.subject}`).join(' | '));
    row = await outboxRow(requestId, 'slot-proposed');
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, null);
  });

  it('refuses a customer notification without contacts, sending nothing', async () => {
    const base = notification(randomUUID());

    await assert.rejects(sut.notify({ ...base, subject: { ...base.subject, contacts: [] } }), /no contacts/);

    await settle();
    assert.equal(mailbox.messages.length, 0);
  });

  it('marks an undeliverable message failed and tells operations', async () => {
    const requestId = randomUUID();
    const refused = notification(requestId, { kind: 'update-reminder', occurrence: 'x-24h' });
    mailbox.refusal = 'mailbox full';
    await assert.rejects(sut.notify(refused));
    mailbox.refusal = undefined;

    await sut.escalateUndeliverable({ notification: refused, reason: 'mailbox full' });

    const [mail] = await mailbox.waitFor(1);
    assert.deepEqual(recipientsOf(mail), [OPS]);
    assert.equal(mail.subject, 'Escalation: message could not be delivered: Ledger 4.2');
    assert.match(mail.text ?? '', /update-reminder to customer/);
    assert.match(mail.text ?? '', /Error: mailbox full/);
    assert.equal((await outboxRow(requestId, 'update-reminder')).status, 'failed');
    // A later retry of the given-up message sends nothing.
    await sut.notify(refused);
    await settle();
    assert.equal(mailbox.messages.length, 1, mailbox.messages.map((m) => `${m.messageId} ${m.subject}`).join(' | '));
  });
});

describe('notify: a worker killed mid-send', () => {
  let db: TestDatabase;
  before(async () => { db = await createTestDatabase(); });
  after(async () => { await db?.drop(); });

  it('does not send the message again on retry, but reports it in doubt', async () => {
    const received: ParsedMail[] = [];
    let child: ReturnType<typeof spawn> | undefined;
    // The relay has the whole message; before it can answer, the sending process is killed.
    const relay = await startSmtpCapture({
      async onMail(mail) {
        received.push(await simpleParser(mail.raw));
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child!.kill('SIGKILL');
        await exited;
      },
    });
    const mailer = createMailTransport({ smtpUrl: relay.url, from: 'updates@example.test', operationsEmail: OPS, smtpUrlGiven: true });
    try {
      const requestId = randomUUID();
      const message = notification(requestId, { kind: 'update-reminder', occurrence: '2026-12-01T14:00:00.000Z-1440m', details: { minutesBefore: '1440' } });
      child = spawn(process.execPath, [path.join(__dirname, 'support', 'notify-in-child.js')], {
        env: { ...process.env, DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, SMTP_URL: relay.url, NOTIFICATION: JSON.stringify(message) },
        stdio: 'ignore',
      });
      const exit = await new Promise<NodeJS.Signals | null>((resolve) => child!.once('exit', (_code, signal) => resolve(signal)));
      assert.equal(exit, 'SIGKILL');
      assert.equal(received.length, 1);

      // Temporal retries the activity on a healthy worker.
      const sut = createNotificationActivities({ dataSource: db.dataSource, mailer, operationsEmail: OPS });
      await assert.rejects(sut.notify(message), (err: unknown) => err instanceof ApplicationFailure && err.type === 'DeliveryInDoubt' && err.nonRetryable);

      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(received.length, 1, 'the customer got the reminder once');
      const [row] = await db.dataSource.query(`SELECT status, attempts FROM outbox_messages WHERE request_id = $1`, [requestId]);
      assert.deepEqual(row, { status: 'sending', attempts: 1 });
    } finally {
      mailer.close();
      await relay.close();
    }
  });
});
