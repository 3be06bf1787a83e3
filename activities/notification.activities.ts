import { ApplicationFailure } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { Notification } from '../workflows/activity-contract';
import { renderNotification } from './notification-message';

export interface NotificationDependencies {
  mailer: Transporter;
  operationsEmail: string;
}

export function createNotificationActivities({ mailer, operationsEmail }: NotificationDependencies) {
  return {
    /** Mails the customer's contacts or the operations team; SMTP errors are retried by Temporal. */
    async notify(notification: Notification): Promise<void> {
      const to = notification.audience === 'operations' ? [operationsEmail] : notification.subject.contacts.map((c) => c.email);
      if (to.length === 0) {
        throw ApplicationFailure.nonRetryable(`request ${notification.subject.requestId} has no contacts to notify`, 'NoRecipients');
      }
      const message = renderNotification(notification);
      await mailer.sendMail({ to, subject: message.subject, text: message.text, messageId: message.messageId });
    },
  };
}
