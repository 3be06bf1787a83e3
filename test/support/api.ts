import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { type AppConfig, loadConfig } from '../../platform/config';
import { createMailTransport } from '../../platform/mail/mail-transport';
import { createWorker } from '../../worker/worker';
import type { TestDatabase } from './database';
import type { TestMailbox } from './mailbox';

/** The configuration of a test's own task queue, schema and mailbox; `env` overrides any variable. */
export function testConfig(temporal: TestWorkflowEnvironment, db: TestDatabase, mailbox: TestMailbox, env: NodeJS.ProcessEnv = {}): AppConfig {
  return loadConfig({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `api-${randomUUID()}`,
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    SMTP_URL: mailbox.url,
    LOG_LEVEL: 'fatal',
    ...env,
  });
}

export interface RunningApi {
  app: INestApplication;
  /** e.g. http://127.0.0.1:41234, no trailing slash. */
  url: string;
}

/** The real API on a random port, or on `port` (a test whose configuration must name its own URL). */
export async function startApi(config: AppConfig, port = 0): Promise<RunningApi> {
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  const { port: listening } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${listening}` };
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** The production worker (bundle + real activities) on the config's task queue, polling until stopped. */
export async function startWorker(config: AppConfig, temporal: TestWorkflowEnvironment, db: TestDatabase): Promise<RunningWorker> {
  const mailer = createMailTransport(config.mail);
  const worker = await createWorker({ config, connection: temporal.nativeConnection, dataSource: db.dataSource, mailer });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.shutdown();
      await running;
      mailer.close();
    },
  };
}

/** A local port on which nothing listens: a dependency that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
