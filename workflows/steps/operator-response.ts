import { patched } from '@temporalio/workflow';
import { responseHours } from '../priority';
import type { RequestRun } from '../request-run';
import type { StepName } from '../update-request.contract';

const HOUR_MS = 3_600_000;

/**
 * The request's response time when its recorded policy has one and the run started after response
 * times existed: then operators' moves are due within it, else they wait without a deadline.
 */
export function operatorResponseHours(run: RequestRun): number | undefined {
  const hours = responseHours(run.policy, run.request);
  return hours !== undefined && patched('operator-response-times') ? hours : undefined;
}

/**
 * Waits until `done()` while the next move is the operators'. Past the response time of the
 * request's priority the step is overdue: recorded and escalated to operations once (the escalation
 * path picks the addresses), then the wait goes on. `respondBy` is the deadline the operators'
 * declared action carries, so the queue orders by it.
 */
export async function awaitOperators(run: RequestRun, step: StepName, done: () => boolean, hours: number): Promise<void> {
  const respondBy = new Date(Date.now() + hours * HOUR_MS).toISOString();
  run.state.respondBy = respondBy;
  run.touch();
  try {
    if (!(await run.waitUntil(done, hours * HOUR_MS))) {
      run.record(step, 'overdue', 'system', { deadline: respondBy });
      run.notify('step-overdue', 'operations', `${step}-${respondBy}`, { details: { step, deadline: respondBy } });
      await run.waitUntil(done);
    }
  } finally {
    run.state.respondBy = undefined;
    run.touch();
  }
}
