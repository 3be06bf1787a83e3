import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { UpdateRequestActivities } from './activity-contract';

/**
 * Named timeout profiles. Activities retry without limit on transient faults (a database or mail
 * server that is briefly away must never lose a step); non-retryable failures are raised as such.
 */
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;

/** Database and mail work: quick, so a stuck attempt is abandoned and retried soon. */
export const records = proxyActivities<UpdateRequestActivities>({ startToCloseTimeout: '1 minute', retry: RETRY });

/**
 * Customer and operations mail: retried with backoff for about three hours (a relay that is down or
 * refuses for a while), then given up, recorded as failed and escalated by the workflow. A
 * permanent refusal (SMTP 5xx, no recipient) is not retried at all.
 */
export const mail = proxyActivities<UpdateRequestActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 12 },
});

/** Hypervisor and session-host calls: snapshots of large VMs take a while. */
export const hypervisor = proxyActivities<UpdateRequestActivities>({ startToCloseTimeout: '30 minutes', retry: RETRY });

/**
 * Checks run on the hosts over SSH. The provider itself retries a host that does not answer (with
 * back-off) and then reports it unreachable, so an attempt may take minutes but ends with an answer.
 */
export const hostChecks = proxyActivities<Pick<UpdateRequestActivities, 'inspectActiveUsers' | 'runTechnicalTest'>>({
  startToCloseTimeout: '15 minutes', retry: RETRY,
});

/** The read model projection: a local activity, one marker in history instead of three events. */
export const readModel = proxyLocalActivities<UpdateRequestActivities>({ startToCloseTimeout: '30 seconds', retry: RETRY });

/**
 * Slot reservations an operator or customer waits on (the check for conflicts and the booking, or
 * their release): local, so the answer costs no round trip through the server. The check stays one
 * transaction under advisory locks, and a retry gives the same answer.
 */
export const reservations = proxyLocalActivities<Pick<UpdateRequestActivities, 'assessSlot' | 'releaseSlot'>>({
  startToCloseTimeout: '30 seconds', retry: RETRY,
});

/** The worker's own configuration: nothing to wait for, so no round trip through the server. */
export const settings = proxyLocalActivities<Pick<UpdateRequestActivities, 'loadPolicy'>>({ startToCloseTimeout: '10 seconds', retry: RETRY });
