import Holidays from 'date-holidays';
import { ValidateBy } from 'class-validator';

/**
 * How SUPPORT_DAYS, SUPPORT_HOURS and SUPPORT_HOLIDAYS are spelled, parsed and validated. Each
 * parser returns undefined for a malformed value, so validation and parsing cannot disagree.
 */

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "Mon-Fri", "Mon,Wed,Fri" or "Mon-Wed,Sat" → ISO weekday numbers (Monday = 1), ascending. */
export function parseWeekdays(text: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [first, last = first, ...rest] = part.trim().toLowerCase().split('-');
    const from = WEEKDAYS.indexOf(first) + 1;
    const to = WEEKDAYS.indexOf(last) + 1;
    if (rest.length > 0 || from === 0 || to < from) return undefined;
    for (let day = from; day <= to; day++) days.add(day);
  }
  return [...days].sort((a, b) => a - b);
}

export interface DailyHours {
  /** Minutes after local midnight. */
  opensAtMinute: number;
  closesAtMinute: number;
}

/** "08:00-17:00" → minutes after midnight; the window must open before it closes. */
export function parseDailyHours(text: string): DailyHours | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return undefined;
  const [opensH, opensM, closesH, closesM] = match.slice(1).map(Number);
  const hours = { opensAtMinute: opensH * 60 + opensM, closesAtMinute: closesH * 60 + closesM };
  return hours.opensAtMinute < hours.closesAtMinute ? hours : undefined;
}

export interface HolidayRegion {
  country: string;
  state?: string;
}

/** "CH-ZH" or "CH" → a region date-holidays knows; `none` → null (no holidays observed). */
export function parseHolidayRegion(text: string): HolidayRegion | null | undefined {
  if (text.trim().toLowerCase() === 'none') return null;
  const [country, state, ...rest] = text.trim().toUpperCase().split('-');
  const calendar = new Holidays();
  if (rest.length > 0 || !(country in calendar.getCountries())) return undefined;
  if (state === undefined) return { country };
  return state in (calendar.getStates(country) ?? {}) ? { country, state } : undefined;
}

/** A class-validator decorator accepting exactly the strings `parse` understands. */
export function ParsedBy(name: string, parse: (text: string) => unknown, expectation: string): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parse(value) !== undefined,
      defaultMessage: (args) => `${args?.property ?? name} must be ${expectation}`,
    },
  });
}

export const IsWeekdayList = () => ParsedBy('isWeekdayList', parseWeekdays, 'weekdays such as Mon-Fri or Mon,Wed,Fri');
export const IsDailyHours = () => ParsedBy('isDailyHours', parseDailyHours, 'HH:MM-HH:MM with the start before the end');
export const IsHolidayRegion = () =>
  ParsedBy('isHolidayRegion', parseHolidayRegion, 'a date-holidays country[-state] code such as CH-ZH, or none');
