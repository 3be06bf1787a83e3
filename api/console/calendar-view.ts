import { DateTime, Interval } from 'luxon';
import type { SupportHours } from '../../activities/support-hours';
import type { SupportHoursConfig } from '../../platform/config';
import type { UpdateRequestRow } from '../requests/request-read-model';

export type CalendarSpan = 'week' | 'month';

export interface CalendarSlot {
  requestId: string;
  label: string;
  customerId: string;
  time: string;
  targets: string[];
  withinSupportHours: boolean;
  /** Requests whose slots overlap this one on a shared target. */
  conflictsWith: string[];
}

export interface CalendarDay {
  date: string;
  label: string;
  inPeriod: boolean;
  closed: 'weekend' | 'holiday' | undefined;
  slots: CalendarSlot[];
}

export interface CalendarView {
  span: CalendarSpan;
  title: string;
  timeZone: string;
  supportHours: string;
  weeks: CalendarDay[][];
  previous: string;
  next: string;
  today: string;
  /** The first instant shown and the instant after the last, for the query of slots. */
  from: Date;
  to: Date;
}

/** The days a week or month view shows, Monday first, in the support desk's zone. */
export function calendarPeriod(span: CalendarSpan, anchor: string | undefined, timeZone: string): { from: DateTime; to: DateTime; anchor: DateTime } {
  const parsed = anchor ? DateTime.fromISO(anchor, { zone: timeZone }) : DateTime.now().setZone(timeZone);
  const day = (parsed.isValid ? parsed : DateTime.now().setZone(timeZone)).startOf('day');
  const first = span === 'week' ? day.startOf('week') : day.startOf('month').startOf('week');
  const last = span === 'week' ? first.plus({ weeks: 1 }) : day.endOf('month').startOf('week').plus({ weeks: 1 });
  return { from: first, to: last, anchor: day };
}

/**
 * The operators' calendar: each day of the period, shaded when support is closed (weekend or
 * public holiday), with the slots that start on it, each flagged when it lies outside support
 * hours or overlaps another request's slot on a shared system.
 */
export function calendarView(
  span: CalendarSpan, anchorText: string | undefined, rows: UpdateRequestRow[], config: SupportHoursConfig, supportHours: SupportHours,
): CalendarView {
  const zone = config.timeZone;
  const { from, to, anchor } = calendarPeriod(span, anchorText, zone);
  const slots = rows.filter((r) => r.scheduled_start && r.scheduled_end).map((row) => toSlot(row, rows, zone, supportHours));
  const days: CalendarDay[] = [];
  for (let day = from; day < to; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    days.push({
      date,
      label: day.setLocale('en-GB').toFormat(span === 'week' ? 'ccc d LLL' : 'ccc d'),
      inPeriod: span === 'week' || day.month === anchor.month,
      closed: supportHours.isPublicHoliday(day) ? 'holiday' : config.days.includes(day.weekday) ? undefined : 'weekend',
      slots: slots.filter((s) => s.day === date).map(({ day: _day, ...slot }) => slot),
    });
  }
  const step = span === 'week' ? { weeks: 1 } : { months: 1 };
  return {
    span,
    title: span === 'week' ? `Week of ${from.setLocale('en-GB').toFormat('d LLLL yyyy')}` : anchor.setLocale('en-GB').toFormat('LLLL yyyy'),
    timeZone: zone,
    supportHours: `${clock(config.opensAtMinute)}–${clock(config.closesAtMinute)}`,
    weeks: Array.from({ length: days.length / 7 }, (_, i) => days.slice(i * 7, i * 7 + 7)),
    previous: anchor.minus(step).toISODate()!,
    next: anchor.plus(step).toISODate()!,
    today: DateTime.now().setZone(zone).toISODate()!,
    from: from.toJSDate(),
    to: to.toJSDate(),
  };
}

function toSlot(row: UpdateRequestRow, all: UpdateRequestRow[], zone: string, supportHours: SupportHours): CalendarSlot & { day: string } {
  const start = DateTime.fromJSDate(row.scheduled_start!, { zone });
  const end = DateTime.fromJSDate(row.scheduled_end!, { zone });
  const targets = targetsOf(row);
  const span = Interval.fromDateTimes(start, end);
  const conflictsWith = all.filter((other) => other.request_id !== row.request_id && other.scheduled_start && other.scheduled_end
    && span.overlaps(Interval.fromDateTimes(DateTime.fromJSDate(other.scheduled_start), DateTime.fromJSDate(other.scheduled_end)))
    && targetsOf(other).some((t) => targets.includes(t))).map((other) => other.request_id);
  return {
    day: start.toISODate()!,
    requestId: row.request_id,
    label: `${row.software_name} ${row.target_version}`,
    customerId: row.customer_id,
    time: `${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}`,
    targets,
    withinSupportHours: supportHours.isWithin(start.toJSDate(), end.toJSDate()),
    conflictsWith,
  };
}

function targetsOf(row: UpdateRequestRow): string[] {
  return row.request?.targets.map((t) => t.name) ?? [];
}

function clock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}
