/**
 * The monthly maintenance plan's contract: the worker's Temporal Schedule starts the workflow on the
 * configured day; the workflow names the month and the activity mails each customer its slots.
 * Imports nothing.
 */
export const MAINTENANCE_PLAN_SCHEDULE_ID = 'maintenance-plan';

export interface MaintenancePlanInput {
  /** `YYYY-MM`; absent: the month after the one the workflow runs in (UTC). */
  month?: string;
}

export interface MaintenancePlanOutcome {
  month: string;
  /** The customers whose plan was sent now (not before), by id. */
  sent: string[];
  /** Customers whose relay refused the plan for good; the outbox keeps the reason. */
  refused: string[];
}
