import { ApplicationFailure, log } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import type { CustomerMessageKind, MailTemplates } from './mail-templates';
import { MessageOutbox } from './message-outbox';
import { asDeliveryFailure } from './notification.activities';

export interface CustomerRow {
  id: string;
  name: string;
  time_zone: string;
  language: string;
}

export interface CustomerMessage {
  /** The outbox row and Message-ID: the same message always has the same id, so it is sent once. */
  id: string;
  kind: CustomerMessageKind;
  recipients: string[];
  /**
   * The template's view in the language it is written in (for dates and words); its values also
   * fill the subject (`subject.<kind>` in strings.json, `count` choosing the plural).
   */
  view: (language: string) => Record<string, unknown>;
}

export type CustomerMessageResult = 'sent' | 'refused' | 'skipped';

/**
 * Mails messages about a customer (not one request) in the customer's language, at most once per
 * id: the intent is recorded in the outbox, the send claimed, then marked sent. A relay that is away
 * fails the activity for a retry; one that refuses for good marks the row failed (`refused`).
 */
/** What the activities that mail customers directly (plans, warnings) are built from. */
export interface CustomerMessageDependencies {
  dataSource: DataSource;
  mailer: Transporter;
  /** Tests may pass their own; by default the templates under templates/mail are loaded once. */
  templates?: MailTemplates;
}

export function createCustomerMessages({ dataSource, mailer, templates }: Required<CustomerMessageDependencies>) {
  const outbox = new MessageOutbox(dataSource);
  return {
    async customers(): Promise<CustomerRow[]> {
      return dataSource.query(`SELECT id, name, time_zone, language FROM customers ORDER BY id`);
    },

    async send(customer: CustomerRow, { id, kind, recipients, view }: CustomerMessage): Promise<CustomerMessageResult> {
      const language = templates.languageFor(kind, customer.language);
      const values = view(language);
      const subject = templates.wording.t(language)(`subject.${kind}`, values);
      const { html, text } = templates.render(kind, { customerName: customer.name, timeZone: customer.time_zone, ...values }, language);
      await outbox.recordIntent({ id, requestId: null, kind, recipients, subject });
      try {
        const result = await outbox.sendOnce(id, async () => {
          try {
            await mailer.sendMail({ to: recipients, subject, text, html, messageId: `<${id}@managed-updates>` });
          } catch (err) {
            throw asDeliveryFailure(err);
          }
        });
        if (result === 'in-doubt') log.warn('a message was being sent when the worker stopped; it may have arrived, so it is not sent again', { id });
        return result === 'sent' ? 'sent' : 'skipped';
      } catch (err) {
        if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
        await outbox.markFailed(id, err.message);
        log.error('the relay refused a message to a customer', { id, kind, reason: err.message });
        return 'refused';
      }
    },
  };
}
