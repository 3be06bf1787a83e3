import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { resolveTemporalExecutable } from '../../platform/temporal-binaries';

let runtimeInstalled = false;

/** Keeps the SDK quiet in test output: only warnings and errors. */
export function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

/** The real time-skipping test server, started from the binary the toolchain installed. */
export async function startTimeSkippingServer(dataConverter?: DataConverter): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  const executable = resolveTemporalExecutable('test-server');
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable }, client: { dataConverter } });
}
