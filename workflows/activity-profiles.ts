import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { UpdateRequestActivities } from './activity-contract';

/**
 * Named timeout profiles. Activities retry without limit on transient faults (a database or mail
 * server that is briefly away must never lose a step); non-retryable failures are raised as such.
 */
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;

/** Database and mail work: quick, so a stuck attempt is abandoned and retried soon. */
export const records = proxyActivities<UpdateRequestActivities>({ startToCloseTimeout: '1 minute', retry: RETRY });

/** Hypervisor and session-host calls: snapshots of large VMs take a while. */
export const hypervisor = proxyActivities<UpdateRequestActivities>({ startToCloseTimeout: '30 minutes', retry: RETRY });

/** The read model projection: a local activity, one marker in history instead of three events. */
export const readModel = proxyLocalActivities<UpdateRequestActivities>({ startToCloseTimeout: '30 seconds', retry: RETRY });
