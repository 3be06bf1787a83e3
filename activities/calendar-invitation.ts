import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { CalendarInvitation, NotificationSubject } from '../workflows/activity-contract';
import type { Contact } from '../workflows/update-request.contract';

/**
 * The iCalendar (RFC 5545/5546) attachment of a slot message, built with ical-generator, a
 * maintained library that handles escaping, line folding and UTC stamps. One event per request: its
 * UID is the same in every revision, SEQUENCE grows with each, and METHOD:CANCEL withdraws it.
 */
export function calendarInvitation(
  invitation: CalendarInvitation,
  about: NotificationSubject,
  organizerEmail: string,
  description: string,
  /** The event's title in the reader's language (`MailWording.slotSummary`), and that language. */
  wording: { summary: string; language: string },
  /** Whose calendar the event is for: the customer's contacts, or the partner who performs the update. */
  attendees: Contact[] = about.contacts,
): string {
  const cancel = invitation.method === 'CANCEL';
  const calendar = ical({
    prodId: { company: 'managed-updates', product: 'managed-updates', language: wording.language.toUpperCase() },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: calendarUid(about.requestId),
    sequence: invitation.sequence,
    start: new Date(invitation.start),
    end: new Date(invitation.end),
    summary: wording.summary,
    description,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: 'Managed Updates', email: organizerEmail },
    attendees: attendees.map((c) => ({ name: c.name, email: c.email })),
  });
  return calendar.toString();
}

/** One UID per request, so the feed's event and the mailed invitation are the same event to a calendar. */
export function calendarUid(requestId: string): string {
  return `${requestId}@managed-updates`;
}
