import { Duration } from 'luxon';
import type { Notification, NotificationKind } from '../workflows/activity-contract';
import { calendarInvitation } from './calendar-invitation';
import { localTime, type MailTemplates } from './mail-templates';

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

/** Per kind, the subject's wording (followed by the software's name and target version). */
const SUBJECTS: Record<NotificationKind, string> = {
  'request-received': 'Update request received',
  'short-notice-declined': 'Short-notice update request declined',
  'downgrade-refused': 'Downgrade not approved, request declined',
  'slot-proposed': 'Update slot proposed, please accept',
  'update-announced': 'Update scheduled',
  'update-rescheduled': 'Update rescheduled',
  'update-reminder': 'Reminder: update coming up',
  'users-active': 'Users still signed in, update waiting',
  'update-done': 'Update installed, please test and sign off',
  'sign-off-reminder': 'Reminder: sign-off pending',
  'rolled-back': 'Update rolled back',
  'update-completed': 'Update completed',
  'snapshots-deleted': 'Snapshots deleted',
  cancelled: 'Update cancelled',
  'new-request': 'New update request',
  'short-notice-review': 'Short-notice update request needs a decision',
  'step-overdue': 'Escalation: step overdue',
  'sign-off-rejected': 'Update rejected at sign-off',
  'delivery-failed': 'Escalation: message could not be delivered',
  'host-unreachable': 'Action needed: a host could not be checked',
};

export function renderNotification(notification: Notification, templates: MailTemplates, organizerEmail: string): NotificationMessage {
  const { kind, subject: about, calendar } = notification;
  const view = messageView(notification);
  const { html, text } = templates.render(kind, view);
  return {
    id: outboxId(notification),
    messageId: notificationMessageId(notification),
    subject: `${SUBJECTS[kind]}: ${about.software.name} ${about.software.targetVersion}`,
    text,
    html,
    ...(calendar ? {
      icalEvent: {
        method: calendar.method,
        filename: calendar.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
        content: calendarInvitation(calendar, about, organizerEmail, text),
      },
    } : {}),
  };
}

/** What the templates see: the notification with times in the customer's zone and durations in words. */
function messageView({ kind, audience, subject: about, slot, calendar, details = {} }: Notification) {
  const zone = about.timeZone;
  return {
    kind,
    audience,
    zone,
    request: {
      id: about.requestId,
      customerId: about.customerId,
      category: about.category,
      severity: about.severity,
      software: about.software,
      targets: about.targets.join(', '),
      contacts: about.contacts,
      downtime: inWords(about.expectedDurationMinutes),
      // "major release", "first installation": the classification in words.
      classification: about.classification?.replace('-', ' '),
      downgrade: about.downgrade,
      releaseNotes: about.releaseNotes,
    },
    slot: slot && { ...slot, start: localTime(slot.start, zone), end: localTime(slot.end, zone) },
    calendar,
    details,
    before: details.minutesBefore ? inWords(Number(details.minutesBefore)) : undefined,
    shortNotice: details.leadTime === 'short-notice',
  };
}

/** 1590 → "1 day 2 hours 30 minutes"; only the units that are not zero. */
function inWords(minutes: number): string {
  const parts = Duration.fromObject({ minutes }).shiftTo('days', 'hours', 'minutes').toObject();
  return (['days', 'hours', 'minutes'] as const)
    .filter((unit) => parts[unit])
    .map((unit) => `${parts[unit]} ${parts[unit] === 1 ? unit.slice(0, -1) : unit}`)
    .join(' ') || '0 minutes';
}

/**
 * `<requestId.kind.occurrence@managed-updates>`: the same notification always gets the same id, so
 * a retried send is recognisable as a duplicate. Each part keeps only characters that are safe in
 * a Message-ID and carry no meaning there; the rest (dots included) are written as =XX, so
 * different parts never collide.
 */
export function notificationMessageId({ subject, kind, occurrence }: Notification): string {
  return `<${[subject.requestId, kind, occurrence].map(messageIdPart).join('.')}@managed-updates>`;
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
