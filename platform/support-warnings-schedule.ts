import type { Client } from '@temporalio/client';
import { SUPPORT_WARNINGS_SCHEDULE_ID } from '../workflows/support-warnings.contract';
import { ensureSchedule, type ScheduleChange } from './temporal-schedule';

export interface SupportWarningsTiming {
  /** Hour of the day (0–23) the check runs; null: no check, and a schedule left from before is removed. */
  hour: number | null;
  /** The zone the hour is in: the support desk's. */
  timeZone: string;
  taskQueue: string;
}

/** The daily support-window check's schedule: `supportWarningsWorkflow` every day at the configured hour. */
export function ensureSupportWarningsSchedule(client: Client, { hour, timeZone, taskQueue }: SupportWarningsTiming): Promise<ScheduleChange> {
  return ensureSchedule(client, SUPPORT_WARNINGS_SCHEDULE_ID, hour === null ? null : {
    spec: { calendars: [{ hour, minute: 0 }], timezone: timeZone },
    action: { type: 'startWorkflow', workflowType: 'supportWarningsWorkflow', args: [{}], taskQueue, workflowId: 'support-warnings' },
  });
}
