import type { Client } from '@temporalio/client';
import { MAINTENANCE_PLAN_SCHEDULE_ID } from '../workflows/maintenance-plan.contract';
import { ensureSchedule, type ScheduleChange } from './temporal-schedule';

export interface MaintenancePlanTiming {
  /** Day of the month (1–28); null: no plan, and a schedule left from before is removed. */
  day: number | null;
  /** The zone the day begins in: the support desk's. */
  timeZone: string;
  taskQueue: string;
}

/** The plan goes out early in the morning of its day, before the support desk opens. */
const HOUR = 6;

/** The monthly maintenance plan's schedule: `maintenancePlanWorkflow` on the configured day. */
export function ensureMaintenancePlanSchedule(client: Client, { day, timeZone, taskQueue }: MaintenancePlanTiming): Promise<ScheduleChange> {
  return ensureSchedule(client, MAINTENANCE_PLAN_SCHEDULE_ID, day === null ? null : {
    spec: { calendars: [{ dayOfMonth: day, hour: HOUR, minute: 0 }], timezone: timeZone },
    action: { type: 'startWorkflow', workflowType: 'maintenancePlanWorkflow', args: [{}], taskQueue, workflowId: 'maintenance-plan' },
  });
}
