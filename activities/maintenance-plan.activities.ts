import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, log } from '@temporalio/activity';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { agreedSlots, type AgreedSlot } from '../platform/calendar/agreed-slots';
import type { MaintenancePlanOutcome } from '../workflows/maintenance-plan.contract';
import { localTime, MAIL_TEMPLATE_DIR } from './mail-templates';
import { MessageOutbox } from './message-outbox';
import { asDeliveryFailure } from './notification.activities';

export interface MaintenancePlanDependencies {
  dataSource: DataSource;
  mailer: Transporter;
}

const KIND = 'maintenance-plan';

/**
 * One template per flavour, like the sign-in mail: the plan is about a customer, not one request.
 * English only for now (issue 12: a German plan needs its templates under de/ and the language lookup).
 */
function compile(flavour: 'text' | 'html'): HandlebarsTemplateDelegate {
  const engine = Handlebars.create();
  engine.registerHelper('localTime', localTime);
  return engine.compile(readFileSync(path.join(MAIL_TEMPLATE_DIR, 'en', `${KIND}.${flavour}.hbs`), 'utf8'), { noEscape: flavour === 'text' });
}

export function createMaintenancePlanActivities({ dataSource, mailer }: MaintenancePlanDependencies) {
  const outbox = new MessageOutbox(dataSource);
  const templates = { text: compile('text'), html: compile('html') };

  /**
   * Mails one customer its plan, at most once per month (the outbox row's id is the customer and
   * month). A relay that is away fails the activity for a retry; a permanent refusal is recorded.
   */
  async function mailPlan(customer: { id: string; name: string; time_zone: string }, month: string, slots: AgreedSlot[]): Promise<'sent' | 'refused' | 'skipped'> {
    const recipients = [...new Set(slots.flatMap((s) => s.contacts.map((c) => c.email)))];
    const label = DateTime.fromISO(month, { zone: customer.time_zone }).setLocale('en-GB').toFormat('LLLL yyyy');
    const view = {
      customerName: customer.name, month: label, timeZone: customer.time_zone,
      slots: slots.map((s) => ({ ...s, start: s.start.toISOString(), end: s.end.toISOString(), targets: s.targets.join(', ') })),
    };
    const id = `${KIND}/${customer.id}/${month}`;
    const subject = `Maintenance plan for ${label}: ${slots.length} update${slots.length === 1 ? '' : 's'}`;
    await outbox.recordIntent({ id, requestId: null, kind: KIND, recipients, subject });
    try {
      const result = await outbox.sendOnce(id, async () => {
        try {
          await mailer.sendMail({ to: recipients, subject, text: templates.text(view), html: templates.html(view), messageId: `<${id}@managed-updates>` });
        } catch (err) {
          throw asDeliveryFailure(err);
        }
      });
      if (result === 'in-doubt') log.warn('a plan was being sent when the worker stopped; it may have arrived, so it is not sent again', { id });
      return result === 'sent' ? 'sent' : 'skipped';
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
      await outbox.markFailed(id, err.message);
      log.error('the relay refused a maintenance plan', { id, reason: err.message });
      return 'refused';
    }
  }

  return {
    /** Mails each customer with agreed slots starting in `month` (in the customer's time zone) one message listing them. */
    async mailMaintenancePlans({ month }: { month: string }): Promise<MaintenancePlanOutcome> {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw ApplicationFailure.nonRetryable(`month must be YYYY-MM, not ${month}`, 'BadMonth');
      const customers: Array<{ id: string; name: string; time_zone: string }> = await dataSource.query(`SELECT id, name, time_zone FROM customers ORDER BY id`);
      const outcome: MaintenancePlanOutcome = { month, sent: [], refused: [] };
      for (const customer of customers) {
        const from = DateTime.fromISO(month, { zone: customer.time_zone });
        const slots = await agreedSlots(dataSource, { customerId: customer.id, startsWithin: { from: from.toJSDate(), to: from.plus({ months: 1 }).toJSDate() } });
        if (slots.length === 0) continue;
        const result = await mailPlan(customer, month, slots);
        if (result !== 'skipped') outcome[result].push(customer.id);
      }
      return outcome;
    },
  };
}

export type MaintenancePlanActivities = ReturnType<typeof createMaintenancePlanActivities>;
