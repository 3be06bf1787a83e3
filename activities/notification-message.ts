import type { TFunction } from 'i18next';
import type { Notification, NotificationSubject } from '../workflows/activity-contract';
import { priorityOf } from '../workflows/priority';
import { calendarInvitation } from './calendar-invitation';
import type { MailTemplates } from './mail-templates';
import type { MailWording } from './mail-wording';

/** A rendered message, ready for the transport; the outbox keys it by `id`. */
export interface NotificationMessage {
  id: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  /** The iCalendar attachment, for nodemailer's `icalEvent`. */
  icalEvent?: { method: 'REQUEST' | 'CANCEL'; filename: string; content: string };
}

/**
 * Renders a notification in `language` (the customer's, for their contacts; operations reads
 * English), or in English where that language has no templates.
 */
export function renderNotification(notification: Notification, templates: MailTemplates, organizerEmail: string, language: string): NotificationMessage {
  const { kind, subject: about, calendar } = notification;
  const lang = templates.languageFor(kind, language);
  const t = templates.wording.t(lang);
  const { html, text } = templates.render(kind, messageView(notification, templates.wording, lang), lang);
  return {
    id: outboxId(notification),
    messageId: notificationMessageId(notification),
    subject: t(`subject.${kind}`, { software: about.software.name, version: about.software.targetVersion }),
    text,
    html,
    ...(calendar ? {
      icalEvent: {
        method: calendar.method,
        filename: calendar.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
        content: calendarInvitation(calendar, about, organizerEmail, text, {
          summary: templates.wording.slotSummary(lang, about.software.name, about.software.targetVersion, calendar.method === 'CANCEL'), language: lang,
        },
          // The partner's own event: the partner is its attendee.
          notification.audience === 'partner' && notification.partner ? [notification.partner] : about.contacts),
      },
    } : {}),
  };
}

/** What the templates see: the notification with times in the customer's zone and language, enumerations and durations in words. */
function messageView({ kind, audience, subject: about, slot, calendar, details = {}, partner }: Notification, wording: MailWording, language: string) {
  const zone = about.timeZone;
  const t = wording.t(language);
  return {
    kind,
    audience,
    partner: audience === 'partner' ? partner : undefined,
    zone,
    request: {
      id: about.requestId,
      customerId: about.customerId,
      category: t(`category.${about.category}`),
      severity: t(`severity.${about.severity}`),
      priority: priorityView(t, about),
      software: about.software,
      targets: about.targets.join(', '),
      contacts: about.contacts,
      downtime: wording.duration(language, about.expectedDurationMinutes),
      // "major release", "first installation": the classification in words.
      classification: about.classification && t(`classification.${about.classification}`),
      downgrade: about.downgrade,
      releaseNotes: about.releaseNotes,
    },
    slot: slot && { ...slot, start: wording.localTime(language, slot.start, zone), end: wording.localTime(language, slot.end, zone) },
    calendar,
    details,
    before: details.minutesBefore ? wording.duration(language, Number(details.minutesBefore)) : undefined,
    shortNotice: details.leadTime === 'short-notice',
  };
}

/** The request's priority rank and the release track it goes into, in words. */
function priorityView(t: TFunction, { severity, criticalSecurity }: NotificationSubject) {
  const { rank, track } = priorityOf({ severity, criticalSecurity: criticalSecurity === true });
  return { rank, track: t(`track.${track}`) };
}

/**
 * `<requestId.kind.occurrence@managed-updates>` (`requestId.kind.partner.occurrence` for the partner): the same notification always gets the same id, so
 * a retried send is recognisable as a duplicate. Each part keeps only characters that are safe in
 * a Message-ID and carry no meaning there; the rest (dots included) are written as =XX, so
 * different parts never collide.
 */
export function notificationMessageId({ subject, kind, occurrence, audience }: Notification): string {
  // The partner's copy of a message is its own message; the others keep the ids they always had.
  const parts = audience === 'partner' ? [subject.requestId, kind, 'partner', occurrence] : [subject.requestId, kind, occurrence];
  return `<${parts.map(messageIdPart).join('.')}@managed-updates>`;
}

/** The message's row in the outbox: its Message-ID without the angle brackets. */
export function outboxId(notification: Notification): string {
  return notificationMessageId(notification).slice(1, -1);
}

function messageIdPart(text: string): string {
  const escaped = text.replace(/[^A-Za-z0-9_-]/gu, (char) =>
    [...Buffer.from(char, 'utf8')].map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  // An empty part would leave two dots in a row, which a Message-ID may not contain.
  return escaped || '=';
}
