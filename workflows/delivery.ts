import { ActivityFailure, condition } from '@temporalio/workflow';
import type { Notification, UndeliveredNotification } from './activity-contract';
import { mail, records } from './activity-profiles';

/** A message to send, with what to do when it finally cannot be delivered (record it in the sender's timeline). */
export interface Outgoing {
  notification: Notification;
  undeliverable: (reason: string) => void;
}

/**
 * Sends `notification`. One that finally cannot be delivered is handed to `undeliverable` (which
 * records it in the sender's timeline) and escalated to operations, never dropped.
 */
export async function deliver(notification: Notification, undeliverable: (reason: string) => void): Promise<void> {
  try {
    await mail.notify(notification);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await escalate({ notification, undeliverable }, failureReason(err));
  }
}

/**
 * Sends a run's messages in batches: everything queued while the workflow handles one activation
 * (an activity's result, an Update) goes out as one activity. The SDK unblocks conditions only once
 * the workflow's code has run as far as it can in the activation, so the batch is complete then;
 * and it goes out then, not after the step's next activity (a snapshot may take half an hour).
 * Each message keeps its own fate, as `deliver` gives it.
 */
export class NotificationBatches {
  private readonly queued: Outgoing[] = [];
  private readonly sending: Promise<void>[] = [];

  constructor() {
    void this.sendQueued();
  }

  queue(outgoing: Outgoing): void {
    this.queued.push(outgoing);
  }

  /** Resolves once every message queued so far is delivered or escalated. */
  async settled(): Promise<void> {
    while (this.queued.length > 0 || this.sending.length > 0) {
      await condition(() => this.queued.length === 0);
      await Promise.all(this.sending.splice(0));
    }
  }

  private async sendQueued(): Promise<never> {
    for (;;) {
      await condition(() => this.queued.length > 0);
      this.sending.push(deliverBatch(this.queued.splice(0)));
    }
  }
}

/**
 * Sends a batch as one activity. The messages it answers as refused for good, and, once its retries
 * are spent, every message the outbox has not seen sent, are recorded and escalated one by one; a
 * message that was sent never is.
 */
async function deliverBatch(batch: Outgoing[]): Promise<void> {
  const notifications = batch.map((outgoing) => outgoing.notification);
  let undelivered: UndeliveredNotification[];
  try {
    undelivered = await mail.deliverNotifications(notifications);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    undelivered = await records.unsentNotifications({ notifications, reason: failureReason(err) });
  }
  await Promise.all(undelivered.map(({ index, reason }) => escalate(batch[index], reason)));
}

async function escalate({ notification, undeliverable }: Outgoing, reason: string): Promise<void> {
  undeliverable(reason);
  await records.escalateUndeliverable({ notification, reason });
}

function failureReason(err: ActivityFailure): string {
  return err.cause?.message ?? err.message;
}
