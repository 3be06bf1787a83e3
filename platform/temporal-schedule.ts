import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleOptions } from '@temporalio/client';

export type ScheduleChange = 'created' | 'updated' | 'deleted' | 'off';

/**
 * Makes the Temporal Schedule `scheduleId` match the configuration: created when missing, updated
 * when it exists (so a changed time takes effect at the worker's next start), deleted when
 * `options` is null (the task is off). Every worker calls it at start; the outcome is the same
 * however many do. Temporal, not the host's cron, then starts the schedule's workflow.
 */
export async function ensureSchedule(client: Client, scheduleId: string, options: Omit<ScheduleOptions, 'scheduleId'> | null): Promise<ScheduleChange> {
  const handle = client.schedule.getHandle(scheduleId);
  if (options === null) {
    try {
      await handle.delete();
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'off';
      throw err;
    }
  }
  try {
    await client.schedule.create({ scheduleId, ...options });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await handle.update((previous) => ({ ...previous, ...options }));
  return 'updated';
}
