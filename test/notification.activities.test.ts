import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Transporter } from 'nodemailer';
import { createNotificationActivities } from '../activities/notification.activities';
import { createMailTransport } from '../platform/mail/mail-transport';
import type { Notification } from '../workflows/activity-contract';
import { TestMailbox } from './support/mailbox';

describe('notify through a real SMTP server', () => {
  let mailbox: TestMailbox;
  let mailer: Transporter;
  let sut: ReturnType<typeof createNotificationActivities>;

  before(async () => {
    mailbox = await TestMailbox.start();
    mailer = createMailTransport({ smtpUrl: mailbox.url, from: 'updates@example.test', operationsEmail: 'ops@example.test', smtpUrlGiven: true });
    sut = createNotificationActivities({ mailer, operationsEmail: 'ops@example.test' });
  });
  beforeEach(() => {
    mailbox.messages.splice(0);
  });
  after(async () => {
    mailer?.close();
    await mailbox?.close();
  });

  function notification(requestId: string, overrides: Partial<Notification> = {}): Notification {
    return {
      kind: 'slot-proposed',
      audience: 'customer',
      occurrence: '2026-12-01T08:00:00.000Z',
      subject: {
        requestId,
        customerId: 'acme',
        category: 'maintenance',
        software: { name: 'Ledger', vendor: 'Contoso', currentVersion: '4.1', targetVersion: '4.2' },
        timeZone: 'America/New_York',
        contacts: [{ name: 'Ada', email: 'ada@acme.test' }, { name: 'Bob', email: 'bob@acme.test' }],
      },
      slot: { start: '2026-12-01T14:00:00Z', end: '2026-12-01T16:00:00Z', withinSupportHours: false, surcharge: true },
      ...overrides,
    };
  }

  it("mails the customer's contacts with the software in the subject and times in their zone", async () => {
    const requestId = randomUUID();

    await sut.notify(notification(requestId, { details: { Engineer: 'Eve' } }));

    const [mail] = await mailbox.waitFor(1);
    assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : [], ['ada@acme.test', 'bob@acme.test']);
    assert.equal(mail.subject, 'Update slot proposed: Ledger 4.2');
    assert.equal(mail.messageId, `<${requestId}.slot-proposed.2026-12-01T08=3A00=3A00=2E000Z@managed-updates>`);
    // 14:00Z is 09:00 in New York in December.
    assert.match(mail.text ?? '', /Slot: Tuesday 1 December 2026, 09:00 America\/New_York to Tuesday 1 December 2026, 11:00 America\/New_York \(outside support hours, surcharge applies\)/);
    assert.match(mail.text ?? '', /Engineer: Eve/);
  });

  it('mails operations for the operations audience, with an id per kind and occurrence', async () => {
    const requestId = randomUUID();

    await sut.notify(notification(requestId, { kind: 'sign-off-escalation', audience: 'operations', occurrence: '2', slot: undefined }));

    const [mail] = await mailbox.waitFor(1);
    assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : [], ['ops@example.test']);
    assert.equal(mail.subject, 'Escalation: sign-off overdue: Ledger 4.2');
    assert.equal(mail.messageId, `<${requestId}.sign-off-escalation.2@managed-updates>`);
    assert.doesNotMatch(mail.text ?? '', /Slot:/);
  });

  it('refuses a customer notification without contacts, sending nothing', async () => {
    const base = notification(randomUUID());

    await assert.rejects(sut.notify({ ...base, subject: { ...base.subject, contacts: [] } }), /no contacts/);

    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(mailbox.messages.length, 0);
  });
});
