import { Logger } from '@nestjs/common';
import { loadConfig } from '../platform/config';
import { createApp } from './app';

/**
 * The API process. On SIGINT/SIGTERM Nest stops accepting requests and runs the shutdown hooks,
 * which close the Temporal connection, the database pool and the mail transport.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { requirePayloadKeys: true });
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(config.api.port, config.api.host);
  const logger = new Logger('main');
  if (config.payloadKeys.developmentKey) logger.warn('payloads are sealed with the public development key (PAYLOAD_KEYS)');
  logger.log({ url: await app.getUrl() }, 'API listening');
}

main().catch((err) => {
  process.stderr.write(`api failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
