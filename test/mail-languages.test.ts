import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CUSTOMER_MESSAGE_KINDS, FALLBACK_LANGUAGE, MAIL_TEMPLATE_DIR, MailTemplates } from '../activities/mail-templates';
import { renderNotification } from '../activities/notification-message';
import { CUSTOMER_NOTIFICATION_KINDS, OPERATIONS_NOTIFICATION_KINDS, type Notification, type NotificationKind } from '../workflows/activity-contract';

/** A notification of `kind` with everything a template may show: slot, invitation, details, classification. */
function example(kind: NotificationKind): Notification {
  const slot = { start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T10:00:00.000Z' };
  return {
    kind,
    audience: 'customer',
    occurrence: 'example',
    subject: {
      requestId: 'req-1',
      customerId: 'bauer',
      category: 'security',
      severity: 'high',
      software: { name: 'Ledger', vendor: 'Contoso', currentVersion: '4.1.0.0', targetVersion: '4.2.0.0' },
      timeZone: 'Europe/Zurich',
      contacts: [{ name: 'Ada', email: 'ada@bauer.test' }],
      targets: ['ledger-app-1'],
      expectedDurationMinutes: 61,
      classification: 'minor-release',
      releaseNotes: { summary: 'Fixed: rounding.', link: 'https://contoso.example/4.2' },
    },
    slot: { ...slot, withinSupportHours: false, surcharge: true },
    calendar: { method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST', sequence: 1, ...slot },
    details: { reason: 'budget', activeUsers: '3', minutesBefore: '1440', leadTime: 'guaranteed', earliestGuaranteedStart: slot.start },
  };
}

/** Every key of a strings.json, dotted ("subject.cancelled"). */
function keysOf(strings: object, prefix = ''): string[] {
  return Object.entries(strings).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`]);
}

const stringsOf = (language: string) => JSON.parse(readFileSync(path.join(MAIL_TEMPLATE_DIR, language, 'strings.json'), 'utf8')) as object;

describe('mail templates in every language', () => {
  const sut = MailTemplates.load();
  const others = sut.languages.filter((language) => language !== FALLBACK_LANGUAGE);

  it('has English and German', () => {
    assert.deepEqual(sut.languages, ['en', 'de']);
  });

  it("has every short string of English in each other language (operations' subjects excepted)", () => {
    const operationsSubjects = new Set(OPERATIONS_NOTIFICATION_KINDS.map((kind) => `subject.${kind}`));
    const english = keysOf(stringsOf(FALLBACK_LANGUAGE)).filter((key) => !operationsSubjects.has(key)).sort();
    for (const language of others) assert.deepEqual(keysOf(stringsOf(language)).sort(), english, `strings.json of ${language}`);
  });

  for (const kind of CUSTOMER_NOTIFICATION_KINDS) {
    it(`renders ${kind} in each language, in that language`, () => {
      const english = renderNotification(example(kind), sut, 'ops@provider.test', FALLBACK_LANGUAGE);
      for (const language of others) {
        assert.equal(sut.languageFor(kind, language), language, `${kind} has no ${language} template`);
        const message = renderNotification(example(kind), sut, 'ops@provider.test', language);
        assert.notEqual(message.subject, english.subject, `${kind}'s subject in ${language}`);
        assert.match(message.subject, /: Ledger 4\.2\.0\.0$/);
        assert.match(message.html, new RegExp(`<html lang="${language}">`));
        assert.notEqual(message.text, english.text);
        // Nothing left unrendered, no English word for an enumeration or a unit of time.
        assert.doesNotMatch(`${message.subject}\n${message.text}`, /\{\{|\b(minor release|security|high|hour|minutes?|days?|December|Tuesday)\b/);
      }
    });
  }

  it('has the messages about a customer (maintenance plan, support ending) in each language, in that language', () => {
    for (const kind of CUSTOMER_MESSAGE_KINDS) {
      const english = sut.render(kind, { customerName: 'Bauer GmbH' }, FALLBACK_LANGUAGE);
      for (const language of others) {
        assert.equal(sut.languageFor(kind, language), language, `${kind} has no ${language} template`);
        const message = sut.render(kind, { customerName: 'Bauer GmbH' }, language);
        assert.match(message.html, new RegExp(`<html lang="${language}">`));
        assert.notEqual(message.text, english.text, `${kind} in ${language}`);
      }
    }
  });

  it("reads a regional variant without templates in its base language, and a language without templates in English", () => {
    assert.equal(sut.languageFor('cancelled', 'de-CH'), 'de');
    assert.equal(sut.languageFor('cancelled', 'de'), 'de');
    assert.equal(sut.languageFor('cancelled', 'fr'), FALLBACK_LANGUAGE);
    assert.equal(sut.languageFor('cancelled', 'fr-CH'), FALLBACK_LANGUAGE);
  });

  it("writes operations' messages in English whatever the customer's language", () => {
    for (const kind of OPERATIONS_NOTIFICATION_KINDS) {
      assert.equal(sut.languageFor(kind, 'de'), FALLBACK_LANGUAGE);
      const message = renderNotification({ ...example(kind), audience: 'operations' }, sut, 'ops@provider.test', 'de');
      assert.match(message.html, /<html lang="en">/);
    }
  });

  it('refuses to start with a language that lacks one of the customer messages', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mail-templates-'));
    try {
      cpSync(MAIL_TEMPLATE_DIR, dir, { recursive: true });
      rmSync(path.join(dir, 'de', 'users-active.text.hbs'));
      assert.throws(() => MailTemplates.load(dir), { message: `mail template missing: ${path.join(dir, 'de', 'users-active.text.hbs')}` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a third language from its folder alone', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mail-templates-'));
    try {
      cpSync(MAIL_TEMPLATE_DIR, dir, { recursive: true });
      cpSync(path.join(dir, 'de'), path.join(dir, 'fr'), { recursive: true });
      const strings = JSON.parse(readFileSync(path.join(dir, 'fr', 'strings.json'), 'utf8'));
      strings.subject.cancelled = 'Mise à jour annulée : {{software}} {{version}}';
      strings.dateTime = { locale: 'fr-FR', format: "cccc d LLLL yyyy 'à' HH:mm (z)" };
      writeFileSync(path.join(dir, 'fr', 'strings.json'), JSON.stringify(strings));

      const templates = MailTemplates.load(dir);
      const message = renderNotification(example('cancelled'), templates, 'ops@provider.test', 'fr');

      assert.deepEqual(templates.languages, ['en', 'de', 'fr']);
      assert.equal(message.subject, 'Mise à jour annulée : Ledger 4.2.0.0');
      assert.match(message.text, /mardi 1 décembre 2026 à 09:00 \(Europe\/Zurich\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
