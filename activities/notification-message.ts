import { DateTime } from 'luxon';
import type { Notification, NotificationKind } from '../workflows/activity-contract';

/** What a notification says, as plain text; the mail activity only addresses and sends it. */
export interface NotificationMessage {
  subject: string;
  text: string;
  messageId: string;
}

/** Per kind: the subject's wording (before the software's name and version) and the opening line. */
const WORDING: Record<NotificationKind, { subject: string; opening: string }> = {
  'request-received': { subject: 'Update request received', opening: 'We have received your update request.' },
  'short-notice-review': { subject: 'Short-notice update request needs a decision', opening: 'This request does not leave the agreed lead time; please decide whether to accept, expedite or decline it.' },
  'short-notice-declined': { subject: 'Short-notice update request declined', opening: 'The request could not be scheduled at short notice and was declined.' },
  'slot-proposed': { subject: 'Update slot proposed', opening: 'An update slot has been proposed; please accept it or ask for another one.' },
  'slot-confirmed': { subject: 'Update slot confirmed', opening: 'The update slot is confirmed.' },
  'users-active': { subject: 'Users still signed in, update waiting', opening: 'Users are still signed in to the systems to be updated; the update waits until they sign out.' },
  'update-done': { subject: 'Update installed, please test and sign off', opening: 'The update is installed. Please test the application and sign off, or report what is wrong.' },
  'sign-off-reminder': { subject: 'Reminder: sign-off pending', opening: 'The update is still waiting for your sign-off.' },
  'sign-off-escalation': { subject: 'Escalation: sign-off overdue', opening: 'The sign-off is overdue.' },
  'sign-off-rejected': { subject: 'Update rejected at sign-off', opening: 'The customer rejected the update at sign-off.' },
  'rolled-back': { subject: 'Update rolled back', opening: 'The update was rolled back to the snapshots taken before it.' },
  'snapshots-deleted': { subject: 'Snapshots deleted', opening: 'The snapshots taken before the update have been deleted.' },
  cancelled: { subject: 'Update request cancelled', opening: 'The update request was cancelled.' },
};

export function renderNotification(notification: Notification): NotificationMessage {
  const { kind, subject: about, slot, details } = notification;
  const { software } = about;
  const wording = WORDING[kind];
  const lines = [
    wording.opening,
    '',
    `Request: ${about.requestId}`,
    `Customer: ${about.customerId}`,
    `Software: ${software.vendor} ${software.name} ${software.currentVersion} -> ${software.targetVersion} (${about.category})`,
  ];
  if (slot) {
    const terms = slot.withinSupportHours ? 'within support hours' : `outside support hours${slot.surcharge ? ', surcharge applies' : ''}`;
    lines.push(`Slot: ${localTime(slot.start, about.timeZone)} to ${localTime(slot.end, about.timeZone)} (${terms})`);
  }
  for (const [name, value] of Object.entries(details ?? {})) lines.push(`${name}: ${value}`);
  return {
    subject: `${wording.subject}: ${software.name} ${software.targetVersion}`,
    text: `${lines.join('\n')}\n`,
    messageId: notificationMessageId(notification),
  };
}

/** "Tuesday 1 December 2026, 09:00 Europe/Zurich": the reader's own zone, named. */
function localTime(iso: string, timeZone: string): string {
  return `${DateTime.fromISO(iso, { zone: timeZone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm')} ${timeZone}`;
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

function messageIdPart(text: string): string {
  const escaped = text.replace(/[^A-Za-z0-9_-]/gu, (char) =>
    [...Buffer.from(char, 'utf8')].map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  // An empty part would leave two dots in a row, which a Message-ID may not contain.
  return escaped || '=';
}
