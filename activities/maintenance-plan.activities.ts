import { ApplicationFailure } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { agreedSlots } from '../platform/calendar/agreed-slots';
import type { MaintenancePlanOutcome } from '../workflows/maintenance-plan.contract';
import { createCustomerMessages, type CustomerMessageDependencies } from './customer-message';
import { MailTemplates } from './mail-templates';

export function createMaintenancePlanActivities({ dataSource, mailer, templates = MailTemplates.load() }: CustomerMessageDependencies) {
  const messages = createCustomerMessages({ dataSource, mailer, templates });

  return {
    /**
     * Mails each customer with agreed slots starting in `month` (in the customer's time zone) one
     * message listing them, in the customer's language, at most once per month (the outbox row's id
     * is the customer and month).
     */
    async mailMaintenancePlans({ month }: { month: string }): Promise<MaintenancePlanOutcome> {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw ApplicationFailure.nonRetryable(`month must be YYYY-MM, not ${month}`, 'BadMonth');
      const outcome: MaintenancePlanOutcome = { month, sent: [], refused: [] };
      for (const customer of await messages.customers()) {
        const from = DateTime.fromISO(month, { zone: customer.time_zone });
        const slots = await agreedSlots(dataSource, { customerId: customer.id, startsWithin: { from: from.toJSDate(), to: from.plus({ months: 1 }).toJSDate() } });
        if (slots.length === 0) continue;
        const result = await messages.send(customer, {
          id: `maintenance-plan/${customer.id}/${month}`,
          kind: 'maintenance-plan',
          recipients: [...new Set(slots.flatMap((s) => s.contacts.map((c) => c.email)))],
          view: (language) => ({
            month: from.setLocale(templates.wording.t(language)('dateTime.locale')).toFormat('LLLL yyyy'),
            count: slots.length,
            slots: slots.map((s) => ({ ...s, start: s.start.toISOString(), end: s.end.toISOString(), targets: s.targets.join(', ') })),
          }),
        });
        if (result !== 'skipped') outcome[result].push(customer.id);
      }
      return outcome;
    },
  };
}

export type MaintenancePlanActivities = ReturnType<typeof createMaintenancePlanActivities>;
