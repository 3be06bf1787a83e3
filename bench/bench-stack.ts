import { Client, Connection } from '@temporalio/client';
import { startTemporalDevServer } from '../local/temporal-dev-server';
import { DEVELOPMENT_PAYLOAD_KEYS } from '../platform/config';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { createTestDataDir, freePort, testLogger } from '../test/support/local-runtime';
import { TestMailbox } from '../test/support/mailbox';
import { quietTemporalRuntime } from '../test/support/temporal';

/** What every scenario that runs the service needs: a Temporal dev server, a fresh schema and a mail sink, on free loopback ports. */
export interface BenchStack {
  client: Client;
  db: TestDatabase;
  mailbox: TestMailbox;
  temporalAddress: string;
  /** The service's settings for this stack and `taskQueue`, as environment variables; background sweeps and limits off. */
  env(taskQueue: string): Record<string, string>;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  quietTemporalRuntime();
  const dataDir = await createTestDataDir();
  const server = await startTemporalDevServer({
    dataDir: dataDir.path, namespace: 'default', logger: testLogger, port: await freePort(), uiPort: await freePort(),
  });
  const [db, mailbox] = await Promise.all([createTestDatabase(), TestMailbox.start()]);
  const connection = await Connection.connect({ address: server.address });
  return {
    client: new Client({ connection }),
    db,
    mailbox,
    temporalAddress: server.address,
    env: (taskQueue) => ({
      TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS,
      DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, SMTP_URL: mailbox.url, LOG_LEVEL: 'fatal',
      INVENTORY_CHECK: 'off', ARCHIVE_SWEEP_MINUTES: '0', TASK_FAILURE_SWEEP_MINUTES: '0', WORKER_METRICS_PORT: '0',
      RATE_LIMIT_PER_KEY: '1000000', RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_SUBMISSIONS: '1000000', RATE_LIMIT_MAIL: '1000000',
    }),
    async stop() {
      await connection.close();
      await mailbox.close();
      await db.drop();
      await server.process.stop();
      await dataDir.remove();
    },
  };
}
