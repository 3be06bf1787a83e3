import type { Logger } from 'pino';
import { DEVELOPMENT_PAYLOAD_KEYS, type AppConfig } from '../platform/config';

/**
 * The worker and the API refuse to start without PAYLOAD_KEYS; on a laptop the public development
 * key will do. Hands it to the children (`env`) when none is configured, and says so.
 */
export function passDevelopmentKeyUnlessConfigured(config: AppConfig, env: NodeJS.ProcessEnv, logger: Logger): void {
  if (config.payloadKeys.keysGiven) return;
  env.PAYLOAD_KEYS = DEVELOPMENT_PAYLOAD_KEYS;
  logger.warn('PAYLOAD_KEYS is not set: payloads are sealed with the public development key, fine for trying the service, never for real data');
}
