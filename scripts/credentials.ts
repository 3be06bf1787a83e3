import { parseArgs } from 'node:util';
import { FALLBACK_LANGUAGE, MailTemplates } from '../activities/mail-templates';
import { ConsoleSessions } from '../api/auth/console-sessions';
import { CredentialStore } from '../api/auth/credential-store';
import { PeopleStore } from '../api/auth/people-store';
import { calendarFeedUrl, CalendarFeeds } from '../api/calendar/calendar-feeds';
import { loadConfig } from '../platform/config';
import { createDataSource } from '../platform/database/data-source';
import type { Role } from '../workflows/update-request.contract';

const USAGE = `usage (after npm run migrate; DATABASE_URL and DATABASE_SCHEMA as for the API):
  npm run credentials -- add-customer --id <id> --name <name> [--time-zone <IANA zone>] [--language <tag>]
  npm run credentials -- set-language --customer <customer id> --language <tag>
  npm run credentials -- issue --role customer --customer <customer id> --subject <who>
  npm run credentials -- issue --role operator|auditor --subject <who>
  npm run credentials -- revoke --id <credential id>
  npm run credentials -- add-person --email <address> --role customer --customer <customer id>
  npm run credentials -- add-person --email <address> --role operator|auditor
  npm run credentials -- remove-person --email <address>     (disables them and ends their sessions)
  npm run credentials -- revoke-sessions --email <address>   (signs them out everywhere)
  npm run credentials -- issue-calendar-feed --customer <customer id>   (replaces any earlier feed URL)
  npm run credentials -- revoke-calendar-feed --customer <customer id>
"issue" prints the API key once, "issue-calendar-feed" the feed's URL (below CONSOLE_URL); only
their SHA-256 is stored. People sign in to the console with a link mailed to their address. A
customer's messages are written in their language (en, de; default en); a language without mail
templates reads English.`;

const ROLES: readonly Role[] = ['customer', 'operator', 'auditor'];

/**
 * `npm run credentials`: creates customers, issues or revokes API keys and calendar feeds, and adds
 * or removes the console's people.
 */
async function main(argv: string[]): Promise<void> {
  const { positionals: [command], values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' }, name: { type: 'string' }, 'time-zone': { type: 'string' }, language: { type: 'string' },
      role: { type: 'string' }, customer: { type: 'string' }, subject: { type: 'string' }, email: { type: 'string' },
    },
  });
  const required = (option: keyof typeof values): string => {
    const value = values[option];
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${option} is required`);
    return value;
  };
  const role = (): Role => {
    const value = required('role') as Role;
    if (!ROLES.includes(value)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    return value;
  };
  const config = loadConfig();
  const dataSource = await createDataSource(config.database).initialize();
  try {
    const store = new CredentialStore(dataSource);
    const people = new PeopleStore(dataSource);
    switch (command) {
      case 'add-customer':
        await store.createCustomer({ id: required('id'), name: required('name'), timeZone: values['time-zone'], language: values.language });
        process.stdout.write(`customer ${values.id} created${languageNote(values.language ?? FALLBACK_LANGUAGE)}\n`);
        return;
      case 'set-language':
        if (!(await store.setLanguage(required('customer'), required('language')))) throw new Error(`no customer ${values.customer}`);
        process.stdout.write(`customer ${values.customer} now reads ${values.language}${languageNote(required('language'))}\n`);
        return;
      case 'issue': {
        const issuedRole = role();
        const issued = await store.issue({
          role: issuedRole, subject: required('subject'), customerId: issuedRole === 'customer' ? required('customer') : undefined,
        });
        process.stdout.write(`credential ${issued.id} for ${issuedRole} ${issued.actor.id}${issued.actor.customerId ? ` of customer ${issued.actor.customerId}` : ''}\n`);
        process.stdout.write(`API key (shown once, store it now): ${issued.apiKey}\n`);
        return;
      }
      case 'revoke':
        if (!(await store.revoke(required('id')))) throw new Error(`no active credential ${values.id}`);
        process.stdout.write(`credential ${values.id} revoked\n`);
        return;
      case 'add-person': {
        const personRole = role();
        const person = await people.add({
          email: required('email'), role: personRole, customerId: personRole === 'customer' ? required('customer') : values.customer,
        });
        process.stdout.write(`${person.email} may sign in to the console as ${personRole}${person.actor.customerId ? ` of customer ${person.actor.customerId}` : ''}\n`);
        return;
      }
      case 'remove-person':
        if (!(await people.disable(required('email')))) throw new Error(`no active person ${values.email}`);
        process.stdout.write(`${values.email} removed; their sessions are ended\n`);
        return;
      case 'revoke-sessions':
        process.stdout.write(`${await new ConsoleSessions(dataSource).revokeAllOf(required('email'))} session(s) of ${values.email} ended\n`);
        return;
      case 'issue-calendar-feed': {
        const issued = await new CalendarFeeds(dataSource).issue(required('customer'), 'credentials command');
        if (!issued) throw new Error(`no customer ${values.customer}: create it first`);
        process.stdout.write(`calendar feed of customer ${values.customer} (shown once, any earlier URL stops working): ${calendarFeedUrl(config.console.url, issued.token)}\n`);
        return;
      }
      case 'revoke-calendar-feed':
        if (!(await new CalendarFeeds(dataSource).revoke(required('customer')))) throw new Error(`customer ${values.customer} has no calendar feed`);
        process.stdout.write(`calendar feed of customer ${values.customer} revoked\n`);
        return;
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
    }
  } finally {
    await dataSource.destroy();
  }
}

class UsageError extends Error {}

/** Says so when the language has no mail templates, so the operator knows the customer reads English. */
function languageNote(language: string): string {
  const templates = MailTemplates.load();
  const resolved = templates.customerLanguage(language);
  return resolved === language ? ''
    : ` (no mail templates in ${language} yet: messages go out in ${resolved}; templates exist in ${templates.languages.join(', ')})`;
}

main(process.argv.slice(2)).catch((err) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`credentials failed: ${message}\n${err instanceof UsageError ? `${USAGE}\n` : ''}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
