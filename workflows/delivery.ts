import { ActivityFailure } from '@temporalio/workflow';
import type { Notification } from './activity-contract';
import { mail, records } from './activity-profiles';

/**
 * Sends `notification`. One that finally cannot be delivered is handed to `undeliverable` (which
 * records it in the sender's timeline) and escalated to operations, never dropped.
 */
export async function deliver(notification: Notification, undeliverable: (reason: string) => void): Promise<void> {
  try {
    await mail.notify(notification);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const reason = err.cause?.message ?? err.message;
    undeliverable(reason);
    await records.escalateUndeliverable({ notification, reason });
  }
}
