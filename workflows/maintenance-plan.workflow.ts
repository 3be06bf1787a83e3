import { proxyActivities } from '@temporalio/workflow';
import type { MaintenancePlanActivities } from '../activities/maintenance-plan.activities';
import type { MaintenancePlanInput, MaintenancePlanOutcome } from './maintenance-plan.contract';

/** Mail, retried with backoff while the relay is away; messages already sent are not sent again. */
const { mailMaintenancePlans } = proxyActivities<MaintenancePlanActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 12 },
});

/** Decides which month the plan is for (the next one, unless given) and has each customer's plan mailed. */
export async function maintenancePlanWorkflow(input: MaintenancePlanInput = {}): Promise<MaintenancePlanOutcome> {
  return mailMaintenancePlans({ month: input.month ?? nextMonth(new Date()) });
}

function nextMonth(now: Date): string {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
}
