import { condition } from '@temporalio/workflow';

// Built into a bundle of their own by task-failures.test.ts, never part of the service's bundle.

/**
 * A bug that throws a plain Error (not a Temporal failure): the SDK fails the workflow task and
 * the server retries it forever while the run stays "Running", as with a non-determinism.
 */
export async function failingTaskWorkflow(cause: string): Promise<void> {
  throw new TypeError(cause);
}

/** A healthy run that waits, as most requests do most of the time. */
export async function waitingWorkflow(): Promise<void> {
  await condition(() => false);
}
