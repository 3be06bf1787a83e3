import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleOptions } from '@temporalio/client';
import { MAINTENANCE_PLAN_SCHEDULE_ID } from '../workflows/maintenance-plan.contract';

export interface MaintenancePlanTiming {
  /** Day of the month (1–28); null: no plan, and a schedule left from before is removed. */
  day: number | null;
  /** The zone the day begins in: the support desk's. */
  timeZone: string;
  taskQueue: string;
}

/** The plan goes out early in the morning of its day, before the support desk opens. */
const HOUR = 6;

/**
 * Makes the Temporal Schedule of the monthly maintenance plan match the configuration: created
 * when missing, updated when it exists (so a changed day takes effect at the worker's next start),
 * deleted when the plan is off. Every worker calls it at start; the outcome is the same however
 * many do. Temporal, not the host's cron, then starts `maintenancePlanWorkflow` on that day.
 */
export async function ensureMaintenancePlanSchedule(client: Client, { day, timeZone, taskQueue }: MaintenancePlanTiming): Promise<'created' | 'updated' | 'deleted' | 'off'> {
  const handle = client.schedule.getHandle(MAINTENANCE_PLAN_SCHEDULE_ID);
  if (day === null) {
    try {
      await handle.delete();
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'off';
      throw err;
    }
  }
  const options = {
    spec: { calendars: [{ dayOfMonth: day, hour: HOUR, minute: 0 }], timezone: timeZone },
    action: { type: 'startWorkflow' as const, workflowType: 'maintenancePlanWorkflow', args: [{}], taskQueue, workflowId: 'maintenance-plan' },
  } satisfies Omit<ScheduleOptions, 'scheduleId'>;
  try {
    await client.schedule.create({ scheduleId: MAINTENANCE_PLAN_SCHEDULE_ID, ...options });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await handle.update((previous) => ({ ...previous, ...options }));
  return 'updated';
}
