import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { projectRoot } from '../platform/project-root';
import { NOTIFICATION_KINDS, type NotificationKind } from '../workflows/activity-contract';

/** Where the mail templates live: `templates/mail/` beside package.json (copied into the image). */
export const MAIL_TEMPLATE_DIR = path.join(projectRoot(), 'templates', 'mail');

type Flavour = 'html' | 'text';

/**
 * The mail templates: `<kind>.html.hbs` and `<kind>.text.hbs` per message, sharing the partials in
 * `partials/` (`facts.html.hbs` is `{{> facts}}` in HTML, `facts.text.hbs` in text).
 *
 * Handlebars because it is maintained, logic-less (the wording stays in the files, the decisions in
 * code) and HTML-escapes every `{{value}}` by default: what a customer typed cannot add markup to
 * the HTML mail unless a template opts out with `{{{ }}}`, which ours never do. The plain-text
 * variants are compiled without escaping, since there is no markup to protect there.
 */
export class MailTemplates {
  private constructor(private readonly compiled: Record<Flavour, Map<NotificationKind, HandlebarsTemplateDelegate>>) {}

  /** Reads and compiles every template now, so a missing one stops the worker at start-up. */
  static load(dir: string = MAIL_TEMPLATE_DIR): MailTemplates {
    const compiled = { html: new Map(), text: new Map() } as Record<Flavour, Map<NotificationKind, HandlebarsTemplateDelegate>>;
    for (const flavour of ['html', 'text'] as const) {
      const engine = Handlebars.create();
      engine.registerHelper('localTime', localTime);
      const partials = path.join(dir, 'partials');
      for (const file of readdirSync(partials).filter((f) => f.endsWith(`.${flavour}.hbs`))) {
        engine.registerPartial(file.slice(0, -`.${flavour}.hbs`.length), readFileSync(path.join(partials, file), 'utf8'));
      }
      for (const kind of NOTIFICATION_KINDS) {
        const file = path.join(dir, `${kind}.${flavour}.hbs`);
        if (!existsSync(file)) throw new Error(`mail template missing: ${file}`);
        compiled[flavour].set(kind, engine.compile(readFileSync(file, 'utf8'), { strict: false, noEscape: flavour === 'text' }));
      }
    }
    return new MailTemplates(compiled);
  }

  render(kind: NotificationKind, view: object): { html: string; text: string } {
    return { html: this.compiled.html.get(kind)!(view), text: tidy(this.compiled.text.get(kind)!(view)) };
  }
}

/** `{{localTime instant zone}}`: "Tuesday 1 December 2026, 09:00 Europe/Zurich", the reader's zone named. */
export function localTime(iso: unknown, timeZone: unknown): string {
  if (typeof iso !== 'string' || typeof timeZone !== 'string') return '';
  return `${DateTime.fromISO(iso, { zone: timeZone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm')} ${timeZone}`;
}

/** Templates leave blank lines where optional parts were left out; keep at most one in a row. */
function tidy(text: string): string {
  return `${text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
