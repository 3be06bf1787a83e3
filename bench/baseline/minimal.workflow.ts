import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** The bare SDK's floor for a human action: an Update that a waiting workflow accepts and answers. */
export const touchUpdate = defineUpdate<number, [string]>('touch');

/** Waits forever, answering each touch with how many it has had. */
export async function minimalWorkflow(): Promise<void> {
  let touches = 0;
  setHandler(touchUpdate, () => ++touches);
  await condition(() => false);
}
