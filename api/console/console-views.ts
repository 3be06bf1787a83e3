import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { localTime } from '../../activities/mail-templates';
import { projectRoot } from '../../platform/project-root';

/** The console's templates (`web/pages/`, `web/partials/`) and assets (`web/assets/`), beside package.json. */
export const WEB_DIR = path.join(projectRoot(), 'web');

/**
 * Renders the console's pages on the server with Handlebars, the engine of the mail templates:
 * maintained, logic-less, and it HTML-escapes every `{{value}}`, so nothing a customer typed can
 * add markup to a page (the templates never use `{{{ }}}`). Pages carry no inline script or
 * style; behaviour comes from /console/assets/console.js.
 */
export class ConsoleViews {
  private readonly pages = new Map<string, HandlebarsTemplateDelegate>();

  constructor(dir: string = WEB_DIR) {
    const engine = Handlebars.create();
    engine.registerHelper('localTime', localTime);
    engine.registerHelper('utc', utc);
    engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    engine.registerHelper('or', (a: unknown, b: unknown) => Boolean(a) || Boolean(b));
    engine.registerHelper('join', (list: unknown) => (Array.isArray(list) ? list.join(', ') : ''));
    const partials = path.join(dir, 'partials');
    for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
      engine.registerPartial(file.slice(0, -'.hbs'.length), readFileSync(path.join(partials, file), 'utf8'));
    }
    const pages = path.join(dir, 'pages');
    for (const file of readdirSync(pages).filter((f) => f.endsWith('.hbs'))) {
      this.pages.set(file.slice(0, -'.hbs'.length), engine.compile(readFileSync(path.join(pages, file), 'utf8'), { strict: false }));
    }
  }

  render(page: string, view: object): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`console page template missing: ${page}`);
    return template(view);
  }
}

/** `{{utc iso}}`: "2026-12-01 08:00 UTC", for staff pages where one zone serves everyone. */
function utc(value: unknown): string {
  const iso = value instanceof Date ? value.toISOString() : value;
  if (typeof iso !== 'string') return '';
  return `${DateTime.fromISO(iso, { zone: 'utc' }).toFormat('yyyy-MM-dd HH:mm')} UTC`;
}
