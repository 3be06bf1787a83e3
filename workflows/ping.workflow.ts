import { proxyActivities, sleep, uuid4, workflowInfo } from '@temporalio/workflow';
import type { PingActivities } from '../activities/ping.activities';
import type { PingInput, PingOutcome } from './ping.contract';

const { recordPing } = proxyActivities<PingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Waits the optional delay, then writes a row and sends a mail through the activities. */
export async function pingWorkflow(input: PingInput): Promise<PingOutcome> {
  if (input.delay) await sleep(input.delay);
  return recordPing({ id: uuid4(), workflowId: workflowInfo().workflowId, message: input.message });
}
