import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { createMailTransport } from '../platform/mail/mail-transport';
import { TestMailbox } from './support/mailbox';

const MAIL = { from: 'Managed Updates <updates@example.test>', operationsEmail: 'ops@example.test', smtpUrlGiven: true };

describe('mail transport', () => {
  let mailbox: TestMailbox;

  before(async () => { mailbox = await TestMailbox.start(); });
  after(async () => { await mailbox?.close(); });

  it('delivers to a real SMTP server with the configured sender', async () => {
    const sut = createMailTransport({ ...MAIL, smtpUrl: mailbox.url });
    try {
      await sut.sendMail({ to: 'customer@example.test', subject: 'Update scheduled', text: 'Saturday 02:00' });
    } finally {
      sut.close();
    }
    const [mail] = await mailbox.waitFor(1);
    assert.equal(mail.subject, 'Update scheduled');
    assert.equal(mail.from?.text, '"Managed Updates" <updates@example.test>');
    assert.match(mail.text ?? '', /Saturday 02:00/);
  });

  it('sends one message after another over one pooled connection', async () => {
    const sut = createMailTransport({ ...MAIL, smtpUrl: mailbox.url });
    const before = mailbox.connections;
    const already = mailbox.messages.length;
    try {
      for (const n of [1, 2, 3]) await sut.sendMail({ to: 'customer@example.test', subject: `Reminder ${n}`, text: 'soon' });
    } finally {
      sut.close();
    }
    await mailbox.waitFor(already + 3);
    assert.equal(mailbox.connections - before, 1, 'connections opened for three messages');
  });

  it('passes a refusal of the server on to the caller', async () => {
    const sut = createMailTransport({ ...MAIL, smtpUrl: mailbox.url });
    mailbox.refusal = 'mailbox busy';
    try {
      await assert.rejects(sut.sendMail({ to: 'customer@example.test', subject: 'x', text: 'y' }), (err: Error & { responseCode?: number }) => err.responseCode === 451);
    } finally {
      mailbox.refusal = undefined;
      sut.close();
    }
  });

  it('reads host, port, TLS and credentials from SMTP_URL', () => {
    const sut = createMailTransport({ ...MAIL, smtpUrl: 'smtps://user%40x:p%3Ass@relay.example.test' });
    const options = sut.options as SMTPTransport.Options;
    assert.equal(options.host, 'relay.example.test');
    assert.equal(options.port, 465);
    assert.equal(options.secure, true);
    assert.deepEqual(options.auth, { user: 'user@x', pass: 'p:ss' });
    sut.close();
  });
});
