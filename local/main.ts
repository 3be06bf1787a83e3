import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, type AppConfig } from '../platform/config';
import { migrateDatabase } from '../platform/database/migrate-database';
import { createLogger } from '../platform/logging';
import { DEMO_OPERATOR_EMAIL, demoOperatorSignInLink } from './demo-operator';
import { startEmbeddedDatabase } from './embedded-database';
import { startMailCapture } from './mail-capture';
import { passDevelopmentKeyUnlessConfigured } from './payload-keys';
import { startProcess, waitUntilReady } from './processes';
import { ServiceStack } from './service-stack';
import { startTemporalDevServer } from './temporal-dev-server';

/**
 * `npm start`: the whole service on one machine with nothing set up. Whatever TEMPORAL_ADDRESS,
 * DATABASE_URL or SMTP_URL does not name is started here, with its state under DATA_DIR so a
 * restart keeps earlier workflows, rows and mails; then migrations, the worker and the API.
 * Stops everything in reverse order on SIGINT/SIGTERM or when a child dies.
 */
async function startAll(config: AppConfig, dataDir: string, stack: ServiceStack, logger: Logger): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  const apiUrl = `http://${config.api.host}:${config.api.port}`;
  passDevelopmentKeyUnlessConfigured(config, env, logger);

  if (!config.mail.smtpUrlGiven) {
    const capture = await startMailCapture({ dataDir, logger });
    await stack.add({ name: 'mail capture', stop: () => capture.close() });
    env.SMTP_URL = capture.url;
    logger.info({ smtpUrl: capture.url, mailDir: path.join(dataDir, 'mail') }, 'mail capture started');
  }
  if (!config.database.urlGiven) {
    const database = await startEmbeddedDatabase({ dataDir, logger });
    await stack.addProcess(database.process);
    env.DATABASE_URL = database.url;
    logger.info({ databaseUrl: database.url }, 'embedded PostgreSQL started');
  }
  if (!config.temporal.addressGiven) {
    const temporal = await startTemporalDevServer({ dataDir, namespace: config.temporal.namespace, logger });
    await stack.addProcess(temporal.process);
    env.TEMPORAL_ADDRESS = temporal.address;
    env.TEMPORAL_UI_URL ??= temporal.uiUrl;
    logger.info({ temporalAddress: temporal.address, temporalUi: temporal.uiUrl }, 'Temporal dev server started');
  }

  await migrateDatabase(loadConfig(env).database, logger);

  for (const program of ['worker', 'api'] as const) {
    const child = await startProcess({
      name: program,
      command: process.execPath,
      args: ['--enable-source-maps', path.join(__dirname, '..', program, 'main.js')],
      env,
      output: 'inherit',
    });
    await stack.addProcess(child);
    if (program === 'api') await waitUntilReady(child, () => answersHttp(`${apiUrl}/health`), 60_000);
  }
  logger.info({ apiUrl }, 'managed-updates is running; Ctrl-C stops it');
  if (!config.database.urlGiven) await announceDemoOperator(loadConfig(env), dataDir, logger);
}

/** In its own database, `npm start` keeps a demo operator and prints a link that signs them in. */
async function announceDemoOperator(config: AppConfig, dataDir: string, logger: Logger): Promise<void> {
  const link = await demoOperatorSignInLink(config);
  logger.info({ signInLink: link, email: DEMO_OPERATOR_EMAIL },
    `console: open ${link} to sign in as the demo operator (works once, within ${config.console.signInLinkMinutes} minutes); ` +
    `later ask for a new link at ${config.console.url}/console/sign-in with ${DEMO_OPERATOR_EMAIL}: the mail lands in ${path.join(dataDir, 'mail')}`);
}

/** Any HTTP answer will do: /health says 503 while a dependency is down, but the API is up. */
async function answersHttp(url: string): Promise<void> {
  await fetch(url, { signal: AbortSignal.timeout(1_000) });
}

type Ending = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'failure'; reason: string };

async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger('local', config.logLevel);
  const stack = new ServiceStack(logger);

  const ending = await new Promise<Ending>((resolve) => {
    let signalled = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        // npm forwards the terminal's Ctrl-C too: the second one must not end the shutdown.
        if (signalled) return;
        signalled = true;
        resolve({ kind: 'signal', signal });
      });
    }
    void stack.firstUnexpectedExit.then(({ name, code, signal }) =>
      resolve({ kind: 'failure', reason: `${name} exited unexpectedly (code ${code}, signal ${signal})` }));
    startAll(config, path.resolve(config.dataDir), stack, logger).catch((err: unknown) =>
      resolve({ kind: 'failure', reason: err instanceof Error ? err.message : String(err) }));
  });

  if (ending.kind === 'signal') logger.info({ signal: ending.signal }, 'stopping');
  else logger.error({ reason: ending.reason }, 'stopping after a failure');
  await stack.stopAll();
  logger.info('everything stopped');
  return ending.kind === 'signal' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`local runtime failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
