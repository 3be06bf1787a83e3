import i18next, { type i18n, type TFunction } from 'i18next';
import { Duration, DateTime } from 'luxon';

/**
 * The short strings of the mails (subjects, the words for categories, severities and kinds of
 * update, units of time, the date format), per language from `templates/mail/<language>/strings.json`.
 *
 * i18next because it is the maintained standard for this: plural forms per language through
 * `Intl.PluralRules` ("1 Stunde", "2 Stunden"), interpolation, and a fallback language for a key a
 * language lacks. The resources are handed over in memory, so it never loads anything at run time.
 * Dates go through luxon with the language's locale, in the reader's zone.
 */
export class MailWording {
  private readonly i18n: i18n;

  /** The languages with strings, as given. */
  readonly languages: string[];

  constructor(resources: Record<string, object>, fallbackLanguage: string) {
    this.languages = Object.keys(resources);
    this.i18n = i18next.createInstance();
    void this.i18n.init({
      initAsync: false,
      fallbackLng: fallbackLanguage,
      resources: Object.fromEntries(Object.entries(resources).map(([language, strings]) => [language, { translation: strings }])),
      // Subjects are plain text and the templates escape what they insert: no escaping here.
      interpolation: { escapeValue: false },
    });
  }

  /** The strings of `language`, falling back to the fallback language key by key. */
  t(language: string): TFunction {
    return this.i18n.getFixedT(language);
  }

  /**
   * A slot's calendar event title ("Update of Ledger to 4.2 (do not use the software)"), or that of
   * its withdrawal: the same in the invitations, the console's copy and the calendar feed.
   */
  slotSummary(language: string, software: string, targetVersion: string, cancelled = false): string {
    const t = this.t(language);
    const summary = t('calendar.summary', { software, version: targetVersion });
    return cancelled ? t('calendar.cancelled', { summary }) : summary;
  }

  /** An instant in the reader's zone and language: "Tuesday 1 December 2026, 09:00 Europe/Zurich". */
  localTime(language: string, iso: unknown, timeZone: unknown): string {
    if (typeof iso !== 'string' || typeof timeZone !== 'string') return '';
    const t = this.t(language);
    return DateTime.fromISO(iso, { zone: timeZone }).setLocale(t('dateTime.locale')).toFormat(t('dateTime.format'));
  }

  /** 1590 → "1 day 2 hours 30 minutes" in `language`; only the units that are not zero. */
  duration(language: string, minutes: number): string {
    const t = this.t(language);
    const parts = Duration.fromObject({ minutes }).shiftTo('days', 'hours', 'minutes').toObject();
    const units = (['days', 'hours', 'minutes'] as const).filter((unit) => parts[unit]);
    return (units.length ? units : ['minutes' as const]).map((unit) => t(`duration.${unit}`, { count: parts[unit] ?? 0 })).join(' ');
  }
}
