import { createHash } from 'node:crypto';
import { ApplicationFailure, log } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { SUPPORT_WARNING_DAYS } from '../platform/inventory/installed-software-store';
import { SupportWarningStore } from '../platform/inventory/support-warning-store';
import type { SupportWarningsOutcome } from '../workflows/support-warnings.contract';
import { createCustomerMessages, type CustomerMessageDependencies } from './customer-message';
import { MailTemplates } from './mail-templates';

export function createSupportWarningsActivities({ dataSource, mailer, templates = MailTemplates.load() }: CustomerMessageDependencies) {
  const messages = createCustomerMessages({ dataSource, mailer, templates });
  const warnings = new SupportWarningStore(dataSource);

  return {
    /**
     * Warns each customer, in one message in its language, of the installed releases whose support
     * ends within SUPPORT_WARNING_DAYS after `date` and that it was not warned about yet; then
     * records them as warned. The message's id names the customer, the day and the releases, so a
     * retry sends nothing twice and a release that enters the window later the same day gets its own.
     */
    async warnOfEndingSupport({ date }: { date: string }): Promise<SupportWarningsOutcome> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date).isValid) throw ApplicationFailure.nonRetryable(`date must be YYYY-MM-DD, not ${date}`, 'BadDate');
      const outcome: SupportWarningsOutcome = { date, warned: [], refused: [], unaddressed: [] };
      for (const customer of await messages.customers()) {
        const due = await warnings.due(customer.id, date, SUPPORT_WARNING_DAYS);
        if (due.length === 0) continue;
        const recipients = await warnings.recipients(customer.id);
        if (recipients.length === 0) {
          log.warn('a customer has releases leaving support but no address to warn', { customer: customer.id });
          outcome.unaddressed.push(customer.id);
          continue;
        }
        const releases = createHash('sha256').update(due.map((r) => [r.system, r.software, r.version].join('\u0000')).join('\n')).digest('hex').slice(0, 16);
        const id = `support-ending/${customer.id}/${date}/${releases}`;
        const result = await messages.send(customer, {
          id,
          kind: 'support-ending',
          recipients,
          view: (language) => ({
            count: due.length,
            releases: due.map((r) => ({
              ...r,
              endsOn: DateTime.fromISO(r.endsOn).setLocale(templates.wording.t(language)('dateTime.locale')).toLocaleString(DateTime.DATE_FULL),
              left: templates.wording.duration(language, r.daysLeft * 24 * 60),
            })),
          }),
        });
        // A warning the relay refused for good stays failed in the outbox: it is not repeated daily.
        await warnings.record(customer.id, due, id);
        if (result !== 'skipped') outcome[result === 'sent' ? 'warned' : 'refused'].push(customer.id);
      }
      return outcome;
    },
  };
}

export type SupportWarningsActivities = ReturnType<typeof createSupportWarningsActivities>;
