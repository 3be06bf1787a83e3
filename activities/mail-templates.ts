import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { projectRoot } from '../platform/project-root';
import { CUSTOMER_NOTIFICATION_KINDS, NOTIFICATION_KINDS, type NotificationKind } from '../workflows/activity-contract';
import { MailWording } from './mail-wording';

/** Where the mail templates live: `templates/mail/<language>/` beside package.json (copied into the image). */
export const MAIL_TEMPLATE_DIR = path.join(projectRoot(), 'templates', 'mail');

/** The language every message exists in, and the one a customer without templates in theirs reads. */
export const FALLBACK_LANGUAGE = 'en';

/**
 * Messages about a customer rather than one request (their plan for a month, releases leaving
 * support), written in the customer's language like the customer's notifications.
 */
export const CUSTOMER_MESSAGE_KINDS = ['maintenance-plan', 'support-ending'] as const;
export type CustomerMessageKind = (typeof CUSTOMER_MESSAGE_KINDS)[number];

/** Every message that has templates. */
export type MailKind = NotificationKind | CustomerMessageKind;

type Flavour = 'html' | 'text';
type Compiled = Record<Flavour, Map<MailKind, HandlebarsTemplateDelegate>>;

/**
 * The mail templates, one folder per language (`en/`, `de/`): `<kind>.html.hbs` and `<kind>.text.hbs`
 * per message, the partials they share in `partials/` (`facts.html.hbs` is `{{> facts}}` in HTML,
 * `facts.text.hbs` in text), and `strings.json`, the short strings (subjects, words for enumerations,
 * the date format) that i18next looks up. Adding a language is adding its folder. English holds every
 * message; another language holds the customer's messages and the messages about a customer
 * (operations reads English).
 *
 * Handlebars because it is maintained, logic-less (the wording stays in the files, the decisions in
 * code) and HTML-escapes every `{{value}}` by default: what a customer typed cannot add markup to
 * the HTML mail unless a template opts out with `{{{ }}}`, which ours never do. The plain-text
 * variants are compiled without escaping, since there is no markup to protect there.
 */
export class MailTemplates {
  private constructor(private readonly compiled: Map<string, Compiled>, readonly wording: MailWording) {}

  /** Reads and compiles every language's templates now, so a missing one stops the worker at start-up. */
  static load(dir: string = MAIL_TEMPLATE_DIR): MailTemplates {
    const wording = loadMailWording(dir);
    const compiled = new Map(wording.languages.map((language) => [language, compileLanguage(path.join(dir, language), language, wording)]));
    return new MailTemplates(compiled, wording);
  }

  /** The languages with templates, English first. */
  get languages(): string[] {
    return [...this.compiled.keys()].sort((a, b) => Number(b === FALLBACK_LANGUAGE) - Number(a === FALLBACK_LANGUAGE) || a.localeCompare(b));
  }

  /** The templates a customer reading `language` gets: that language's, else its base language's ('de-CH' → 'de'), else English. */
  customerLanguage(language: string): string {
    return [language, language.split('-')[0]].find((candidate) => this.compiled.has(candidate)) ?? FALLBACK_LANGUAGE;
  }

  /** The language `kind` is written in for a reader of `language` (operations' messages exist in English only). */
  languageFor(kind: MailKind, language: string): string {
    const resolved = this.customerLanguage(language);
    return this.compiled.get(resolved)!.html.has(kind) ? resolved : FALLBACK_LANGUAGE;
  }

  /** Renders in `language`, which must be `languageFor(kind, …)`'s answer. */
  render(kind: MailKind, view: object, language: string): { html: string; text: string } {
    const templates = this.compiled.get(language)!;
    return { html: templates.html.get(kind)!(view), text: tidy(templates.text.get(kind)!(view)) };
  }
}

/**
 * The short strings of every language folder (`<language>/strings.json`), without the templates:
 * enough for what is worded outside a mail, such as the calendar feed's event titles.
 */
export function loadMailWording(dir: string = MAIL_TEMPLATE_DIR): MailWording {
  const languages = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'strings.json')))
    .map((entry) => entry.name);
  if (!languages.includes(FALLBACK_LANGUAGE)) throw new Error(`mail templates missing: ${path.join(dir, FALLBACK_LANGUAGE)}`);
  return new MailWording(Object.fromEntries(languages.map((language) =>
    [language, JSON.parse(readFileSync(path.join(dir, language, 'strings.json'), 'utf8')) as object])), FALLBACK_LANGUAGE);
}

function compileLanguage(dir: string, language: string, wording: MailWording): Compiled {
  const kinds: readonly MailKind[] = [...(language === FALLBACK_LANGUAGE ? NOTIFICATION_KINDS : CUSTOMER_NOTIFICATION_KINDS), ...CUSTOMER_MESSAGE_KINDS];
  const compiled: Compiled = { html: new Map(), text: new Map() };
  for (const flavour of ['html', 'text'] as const) {
    const engine = Handlebars.create();
    engine.registerHelper('localTime', (iso: unknown, timeZone: unknown) => wording.localTime(language, iso, timeZone));
    const partials = path.join(dir, 'partials');
    for (const file of readdirSync(partials).filter((f) => f.endsWith(`.${flavour}.hbs`))) {
      engine.registerPartial(file.slice(0, -`.${flavour}.hbs`.length), readFileSync(path.join(partials, file), 'utf8'));
    }
    for (const kind of kinds) {
      const file = path.join(dir, `${kind}.${flavour}.hbs`);
      if (!existsSync(file)) throw new Error(`mail template missing: ${file}`);
      compiled[flavour].set(kind, engine.compile(readFileSync(file, 'utf8'), { strict: false, noEscape: flavour === 'text' }));
    }
  }
  return compiled;
}

/** "Tuesday 1 December 2026, 09:00 Europe/Zurich", the reader's zone named: the console's English form. */
export function localTime(iso: unknown, timeZone: unknown): string {
  if (typeof iso !== 'string' || typeof timeZone !== 'string') return '';
  return `${DateTime.fromISO(iso, { zone: timeZone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm')} ${timeZone}`;
}

/** Templates leave blank lines where optional parts were left out; keep at most one in a row. */
function tidy(text: string): string {
  return `${text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
