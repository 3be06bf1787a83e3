/**
 * The daily support-window check's contract: the worker's Temporal Schedule starts the workflow
 * every day; the workflow names the day and the activity warns each customer whose installed
 * releases leave support within 60 days. Imports nothing.
 */
export const SUPPORT_WARNINGS_SCHEDULE_ID = 'support-warnings';

export interface SupportWarningsInput {
  /** `YYYY-MM-DD`; absent: the day the workflow runs on (UTC). */
  date?: string;
}

export interface SupportWarningsOutcome {
  date: string;
  /** The customers warned now, by id. */
  warned: string[];
  /** Customers whose relay refused the warning for good; the outbox keeps the reason. */
  refused: string[];
  /** Customers with releases to warn about but no address to write to; the next day's check tries again. */
  unaddressed: string[];
}
