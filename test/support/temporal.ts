import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { startTemporalDevServer, type TemporalDevServer } from '../../local/temporal-dev-server';
import { resolveTemporalExecutable } from '../../platform/temporal-binaries';
import { createTestDataDir, freePort, testLogger } from './local-runtime';

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

/** A Temporal dev server in a fresh data folder with a client of it: for Schedules, which the time-skipping server lacks. */
export interface DevServerClient {
  server: TemporalDevServer;
  client: Client;
  stop(): Promise<void>;
}

export async function startDevServerClient(): Promise<DevServerClient> {
  const dataDir = await createTestDataDir();
  const server = await startTemporalDevServer({ dataDir: dataDir.path, namespace: 'default', logger: testLogger, port: await freePort(), uiPort: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  return {
    server,
    client: new Client({ connection }),
    async stop() {
      await connection.close();
      await server.process.stop();
      await dataDir.remove();
    },
  };
}
