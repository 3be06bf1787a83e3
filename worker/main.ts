import { Client } from '@temporalio/client';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { NativeConnection } from '@temporalio/worker';
import { AuditService } from '../platform/audit/audit-service';
import { startArchiveSweeper } from '../platform/audit/archive-sweeper';
import { loadConfig } from '../platform/config';
import { createDataSource } from '../platform/database/data-source';
import { createLogger, installTemporalRuntime } from '../platform/logging';
import { createMailTransport } from '../platform/mail/mail-transport';
import { ensureMaintenancePlanSchedule } from '../platform/maintenance-plan-schedule';
import { ensureSupportWarningsSchedule } from '../platform/support-warnings-schedule';
import { sweepTaskFailures } from '../platform/operations/task-failure-monitor';
import { payloadDataConverter } from '../platform/payload-codec';
import { repeatEvery } from '../platform/periodic-task';
import { createWorker } from './worker';
import { serveWorkerMetrics, WorkerMetrics } from './worker-metrics';
import { WORKFLOW_BUNDLE_PATH } from './workflow-bundle';

/**
 * The worker process. Temporal's runtime stops polling on SIGINT/SIGTERM and lets running
 * activities finish; only then are the database pool and the mail transport closed.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { requirePayloadKeys: true });
  const logger = createLogger('worker', config.logLevel);
  installTemporalRuntime(logger);
  if (config.payloadKeys.developmentKey) logger.warn('payloads are sealed with the public development key (PAYLOAD_KEYS)');
  const dataSource = await createDataSource(config.database).initialize();
  const mailer = createMailTransport(config.mail);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await createWorker({ config, connection, dataSource, mailer });
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: payloadDataConverter(config.payloadKeys) });
    const plan = await ensureMaintenancePlanSchedule(client, {
      day: config.maintenancePlanDay, timeZone: config.supportHours.timeZone, taskQueue: config.temporal.taskQueue,
    });
    logger.info({ schedule: plan, day: config.maintenancePlanDay }, 'maintenance plan schedule');
    const warnings = await ensureSupportWarningsSchedule(client, {
      hour: config.supportWarningHour, timeZone: config.supportHours.timeZone, taskQueue: config.temporal.taskQueue,
    });
    logger.info({ schedule: warnings, hour: config.supportWarningHour }, 'support-window warnings schedule');
    const audit = new AuditService({ client, dataSource, payloadKeys: config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH, replayConcurrency: config.auditReplayConcurrency, replayLaneIdleMs: config.auditReplayLaneIdleMs });
    const sweeper = startArchiveSweeper(() => audit.archiveClosed(), config.archiveSweepMinutes * 60_000, logger);
    const metrics = new WorkerMetrics();
    const { host, port } = config.workerMetrics;
    const metricsServer = port > 0 ? await serveWorkerMetrics(metrics, host, port) : undefined;
    const converter = loadDataConverter(payloadDataConverter(config.payloadKeys));
    const monitor = repeatEvery(config.taskFailureSweepMinutes * 60_000, () =>
      sweepTaskFailures({ client, converter, dataSource, log: logger, metrics }).then(
        () => undefined,
        (err) => logger.error({ err }, 'task-failure sweep failed; the next sweep retries'),
      ));
    logger.info({ taskQueue: config.temporal.taskQueue, temporal: config.temporal.address, metrics: metricsServer?.url }, 'worker started');
    await worker.run();
    await monitor.stop();
    metricsServer?.server.close();
    await sweeper.stop();
    await audit.close();
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
