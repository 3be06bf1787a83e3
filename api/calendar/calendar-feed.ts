import ical, { ICalEventStatus } from 'ical-generator';
import { calendarUid } from '../../activities/calendar-invitation';
import { FALLBACK_LANGUAGE } from '../../activities/mail-templates';
import type { MailWording } from '../../activities/mail-wording';
import type { AgreedSlot } from '../../platform/calendar/agreed-slots';

/** How often a subscribed calendar should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const REFRESH_SECONDS = 60 * 60;

/**
 * A customer's published calendar (RFC 5545, no METHOD: it is a feed, not a scheduling message),
 * built with ical-generator like the mailed invitations. Each event carries the invitation's UID, so
 * a calendar that holds both sees one event.
 */
export function calendarFeed(customerName: string, slots: AgreedSlot[], wording: MailWording): string {
  const calendar = ical({
    prodId: { company: 'managed-updates', product: 'managed-updates', language: 'EN' },
    name: `Software updates for ${customerName}`,
    ttl: REFRESH_SECONDS,
  });
  for (const slot of slots) {
    calendar.createEvent({
      id: calendarUid(slot.requestId),
      start: slot.start,
      end: slot.end,
      summary: wording.slotSummary(FALLBACK_LANGUAGE, slot.softwareName, slot.targetVersion),
      description: `Request ${slot.requestId}. Systems: ${slot.targets.join(', ') || 'none named'}. Do not use the software during the slot.`,
      status: ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
