import { Client, Connection } from '@temporalio/client';
import { startTemporalDevServer } from '../local/temporal-dev-server';
import { DEVELOPMENT_PAYLOAD_KEYS } from '../platform/config';
import { startSmtpCapture, type SmtpCapture } from '../platform/mail/smtp-capture';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { createTestDataDir, freePort, testLogger } from '../test/support/local-runtime';
import { quietTemporalRuntime } from '../test/support/temporal';

/** What every scenario that runs the service needs: a Temporal dev server, a fresh schema and a mail sink, on free loopback ports. */
export interface BenchStack {
  client: Client;
  db: TestDatabase;
  /**
   * Takes every message and keeps none, as a relay does from the sender's side. Not the tests'
   * mailbox: parsing each message (mailparser, a few ms of CPU) in the bench's own process would
   * slow its client down and be charged to the service.
   */
  mailSink: SmtpCapture;
  temporalAddress: string;
  /** The dev server's process, for its CPU time. */
  temporalPid: number;
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
  const [db, mailSink] = await Promise.all([createTestDatabase(), startSmtpCapture({ onMail: () => undefined })]);
  const connection = await Connection.connect({ address: server.address });
  return {
    client: new Client({ connection }),
    db,
    mailSink,
    temporalAddress: server.address,
    temporalPid: server.process.pid,
    env: (taskQueue) => ({
      TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, PAYLOAD_KEYS: DEVELOPMENT_PAYLOAD_KEYS,
      DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, SMTP_URL: mailSink.url, LOG_LEVEL: 'fatal',
      INVENTORY_CHECK: 'off', ARCHIVE_SWEEP_MINUTES: '0', TASK_FAILURE_SWEEP_MINUTES: '0', WORKER_METRICS_PORT: '0',
      RATE_LIMIT_PER_KEY: '1000000', RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_SUBMISSIONS: '1000000', RATE_LIMIT_MAIL: '1000000',
    }),
    async stop() {
      await connection.close();
      await mailSink.close();
      await db.drop();
      await server.process.stop();
      await dataDir.remove();
    },
  };
}
