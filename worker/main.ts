import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createDataSource } from '../platform/database/data-source';
import { createLogger, installTemporalRuntime } from '../platform/logging';
import { createMailTransport } from '../platform/mail/mail-transport';
import { createWorker } from './worker';

/**
 * The worker process. Temporal's runtime stops polling on SIGINT/SIGTERM and lets running
 * activities finish; only then are the database pool and the mail transport closed.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.logLevel);
  installTemporalRuntime(logger);
  const dataSource = await createDataSource(config.database).initialize();
  const mailer = createMailTransport(config.mail);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await createWorker({ config, connection, dataSource, mailer });
    logger.info({ taskQueue: config.temporal.taskQueue, temporal: config.temporal.address }, 'worker started');
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
    await dataSource.destroy();
    mailer.close();
  }
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
