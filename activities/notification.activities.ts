import { ApplicationFailure, log } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { loadConfig, type OnCallConfig } from '../platform/config';
import { SlotAcceptanceLinks, slotAcceptanceUrl } from '../platform/partners/slot-acceptance-links';
import type { Notification, UndeliveredNotification } from '../workflows/activity-contract';
import { priorityOf } from '../workflows/priority';
import { FALLBACK_LANGUAGE, MailTemplates } from './mail-templates';
import { outboxId, renderNotification } from './notification-message';
import { MessageOutbox } from './message-outbox';

export interface NotificationDependencies {
  dataSource: DataSource;
  mailer: Transporter;
  operationsEmail: string;
  /** The escalation path: absent, operations messages go to operations only. */
  onCall?: OnCallConfig;
  /** Tests may pass their own; by default the templates under templates/mail are loaded once. */
  templates?: MailTemplates;
  /** The API's public origin (CONSOLE_URL), where a partner's acceptance link points; default: the configured one. */
  consoleUrl?: string;
}

export function createNotificationActivities({
  dataSource, mailer, operationsEmail, onCall, templates = MailTemplates.load(), consoleUrl = loadConfig({}).console.url,
}: NotificationDependencies) {
  const outbox = new MessageOutbox(dataSource);
  const acceptanceLinks = new SlotAcceptanceLinks(dataSource);

  /** Operations, and on call too when the request's priority is one of the on-call severities. */
  function operationsRecipients({ subject }: Notification): string[] {
    const urgent = onCall !== undefined && onCall.severities.includes(priorityOf({ severity: subject.severity, criticalSecurity: subject.criticalSecurity === true }).severity);
    return urgent ? [operationsEmail, onCall.email] : [operationsEmail];
  }

  /**
   * The customer's language, read when the message is rendered rather than carried in the workflow,
   * so histories recorded before languages existed replay unchanged. Operations reads English; the
   * partner who performs the customer's update reads the customer's language.
   */
  async function languageOf({ audience, subject }: Notification): Promise<string> {
    if (audience === 'operations') return FALLBACK_LANGUAGE;
    const [row]: Array<{ language: string }> = await dataSource.query(`SELECT language FROM customers WHERE id = $1`, [subject.customerId]);
    return row?.language ?? FALLBACK_LANGUAGE;
  }

  /**
   * Sends a message at most once per id: the intent is recorded in the outbox first, the row is
   * claimed ('sending') while the message goes out with its deterministic Message-ID, then marked
   * sent. A retry of a message already sent sends nothing; a send the relay refused or never got is
   * retried; one interrupted mid-send (the worker died) is in doubt and refused for escalation.
   */
  async function deliver(notification: Notification): Promise<void> {
    const to = recipients(notification);
    const language = await languageOf(notification);
    const message = renderNotification(notification, templates, operationsEmail, language);
    await outbox.recordIntent({ id: message.id, requestId: notification.subject.requestId, kind: notification.kind, recipients: to, subject: message.subject });
    if (to.length === 0) {
      throw ApplicationFailure.nonRetryable(`request ${notification.subject.requestId} has no contacts to notify`, 'NoRecipients');
    }
    const result = await outbox.sendOnce(message.id, async () => {
      // The acceptance link is minted only for the mail that goes out: a retry of a sent one keeps its link working.
      const sent = notification.kind === 'partner-slot-proposed'
        ? renderNotification(await withAcceptanceLink(notification), templates, operationsEmail, language)
        : message;
      try {
        await mailer.sendMail({
          to,
          subject: sent.subject,
          text: sent.text,
          html: sent.html,
          messageId: sent.messageId,
          ...(sent.icalEvent ? { icalEvent: sent.icalEvent } : {}),
        });
      } catch (err) {
        throw asDeliveryFailure(err);
      }
    });
    if (result === 'in-doubt') {
      throw ApplicationFailure.nonRetryable(
        `an earlier attempt to send ${message.messageId} was interrupted mid-send; it may have arrived, so it is not sent again`,
        'DeliveryInDoubt');
    }
  }

  function recipients(notification: Notification): string[] {
    const { audience, subject, partner } = notification;
    if (audience === 'operations') return operationsRecipients(notification);
    if (audience === 'partner') return partner ? [partner.email] : [];
    return subject.contacts.map((c) => c.email);
  }

  /** The partner's slot proposal with the link that accepts this proposal (and no other). */
  async function withAcceptanceLink(notification: Notification): Promise<Notification> {
    const proposal = Number(notification.details?.proposal);
    const token = await acceptanceLinks.issue({ requestId: notification.subject.requestId, proposal, partnerEmail: notification.partner!.email });
    return { ...notification, details: { ...notification.details, acceptanceUrl: slotAcceptanceUrl(consoleUrl, token) } };
  }

  /** The messages of `notifications` not sent, each with the error recorded for it or else `reason`. */
  async function unsent(notifications: Notification[], reason: string): Promise<UndeliveredNotification[]> {
    const ids = notifications.map(outboxId);
    const unsentIds = await outbox.unsent(ids);
    return ids.flatMap((id, index) => (unsentIds.has(id) ? [{ index, reason: unsentIds.get(id) ?? reason }] : []));
  }

  return {
    async notify(notification: Notification): Promise<void> {
      await deliver(notification);
    },

    /**
     * Each message is sent as `notify` sends it. One refused for good is given up in the outbox at
     * once, so a retry of the batch for the others does not send it again; the messages sent
     * meanwhile are not sent again either (the outbox). Answers the messages not delivered.
     */
    async deliverNotifications(notifications: Notification[]): Promise<UndeliveredNotification[]> {
      const attempts = await Promise.allSettled(notifications.map((notification) => deliver(notification)));
      let refusedForNow: unknown;
      for (const [index, attempt] of attempts.entries()) {
        if (attempt.status === 'fulfilled') continue;
        const err: unknown = attempt.reason;
        if (err instanceof ApplicationFailure && err.nonRetryable) await outbox.markFailed(outboxId(notifications[index]), err.message);
        else refusedForNow ??= err;
      }
      if (refusedForNow !== undefined) throw refusedForNow;
      return unsent(notifications, 'given up');
    },

    async unsentNotifications({ notifications, reason }: { notifications: Notification[]; reason: string }): Promise<UndeliveredNotification[]> {
      return unsent(notifications, reason);
    },

    /** A message given up on stays in the outbox as failed, and operations hears of it. */
    async escalateUndeliverable({ notification, reason }: { notification: Notification; reason: string }): Promise<void> {
      const id = outboxId(notification);
      await outbox.markFailed(id, reason);
      const escalation: Notification = {
        kind: 'delivery-failed',
        audience: 'operations',
        subject: notification.subject,
        occurrence: id,
        details: { failedKind: notification.kind, failedAudience: notification.audience, failedMessage: id, reason },
      };
      try {
        await deliver(escalation);
      } catch (err) {
        if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
        // Operations' own address refuses mail: both rows stay in the outbox as failed, for the log and the read side.
        await outbox.markFailed(outboxId(escalation), err.message);
        log.error('escalation of an undeliverable message was refused', { failedMessage: id, reason: err.message });
      }
    },
  };
}

/** SMTP 5xx is a permanent refusal (bad address, policy): retrying cannot help. */
export function asDeliveryFailure(err: unknown): ApplicationFailure {
  const { message, responseCode } = err as Error & { responseCode?: number };
  return responseCode !== undefined && responseCode >= 500
    ? ApplicationFailure.nonRetryable(message, 'MailRefused')
    : ApplicationFailure.retryable(message, 'MailUnavailable');
}
