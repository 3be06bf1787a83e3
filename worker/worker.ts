import { NativeConnection, Worker } from '@temporalio/worker';
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { createActivities } from '../activities';
import { SupportHours } from '../activities/support-hours';
import type { AppConfig } from '../platform/config';
import { payloadDataConverter } from '../platform/payload-codec';
import { createProviders } from './providers';
import { WORKFLOW_BUNDLE_PATH } from './workflow-bundle';

export interface WorkerDependencies {
  config: AppConfig;
  connection: NativeConnection;
  dataSource: DataSource;
  mailer: Transporter;
}

/** A worker on the configured task queue with the prebuilt workflow bundle and real activities. */
export function createWorker({ config, connection, dataSource, mailer }: WorkerDependencies): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Bounds the worker's memory whatever the number of open requests (README, Benchmarks).
    maxCachedWorkflows: config.temporal.workflowCacheSize,
    workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
    dataConverter: payloadDataConverter(config.payloadKeys),
    activities: createActivities({
      dataSource,
      mailer,
      operationsEmail: config.mail.operationsEmail,
      consoleUrl: config.console.url,
      onCall: config.mail.onCall,
      policy: config.policy,
      supportHours: new SupportHours(config.supportHours),
      ...createProviders(config, dataSource),
    }),
  });
}
