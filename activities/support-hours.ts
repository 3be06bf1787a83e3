import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import type { SupportHoursConfig } from '../platform/config';

/**
 * The support desk's opening hours: configured weekdays, a daily window in one time zone, closed
 * on the region's public holidays. Luxon does the zone arithmetic, so DST changes are handled.
 */
export class SupportHours {
  private readonly calendar: Holidays | undefined;
  /** Public-holiday dates (yyyy-MM-dd, local) per year, computed once per year asked about. */
  private readonly holidaysByYear = new Map<number, Set<string>>();

  constructor(private readonly config: SupportHoursConfig) {
    if (config.holidays) {
      this.calendar = new Holidays();
      this.calendar.init(config.holidays.country, config.holidays.state);
    }
  }

  /** True only when [start, end) lies inside the support window of a single local day. */
  isWithin(start: Date, end: Date): boolean {
    const from = DateTime.fromJSDate(start, { zone: this.config.timeZone });
    const to = DateTime.fromJSDate(end, { zone: this.config.timeZone });
    return (
      from < to &&
      from.hasSame(to, 'day') &&
      this.config.days.includes(from.weekday) &&
      minuteOfDay(from) >= this.config.opensAtMinute &&
      minuteOfDay(to) <= this.config.closesAtMinute &&
      !this.isPublicHoliday(from)
    );
  }

  /** Whether the local day is a public holiday of the configured region (the console's calendar shades them). */
  isPublicHoliday(day: DateTime): boolean {
    if (!this.calendar) return false;
    let dates = this.holidaysByYear.get(day.year);
    if (!dates) {
      // Holiday dates are local "yyyy-MM-dd hh:mm:ss" strings; only official days off count.
      dates = new Set(this.calendar.getHolidays(day.year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      this.holidaysByYear.set(day.year, dates);
    }
    return dates.has(day.toISODate() ?? '');
  }
}

/** Fractional, so 16:59:30 is before 17:00 and 17:00:30 after it. */
function minuteOfDay(time: DateTime): number {
  return time.hour * 60 + time.minute + time.second / 60 + time.millisecond / 60_000;
}
