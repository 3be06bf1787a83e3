import { proxyActivities } from '@temporalio/workflow';
import type { SupportWarningsActivities } from '../activities/support-warnings.activities';
import type { SupportWarningsInput, SupportWarningsOutcome } from './support-warnings.contract';

/** Mail, retried with backoff while the relay is away; warnings already sent are not sent again. */
const { warnOfEndingSupport } = proxyActivities<SupportWarningsActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 12 },
});

/**
 * Names the day (the workflow's, so a test server's skipped time counts) and has each customer
 * warned of its installed releases that leave support within 60 days of it.
 */
export async function supportWarningsWorkflow(input: SupportWarningsInput = {}): Promise<SupportWarningsOutcome> {
  return warnOfEndingSupport({ date: input.date ?? new Date().toISOString().slice(0, 10) });
}
