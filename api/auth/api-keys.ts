import { hashToken, randomToken } from './secret-tokens';

/** API keys are random tokens (see secret-tokens.ts) with a prefix that makes a leaked key recognisable. */
const KEY_PREFIX = 'mu_';

export function generateApiKey(): string {
  return KEY_PREFIX + randomToken();
}

export function hashApiKey(key: string): string {
  return hashToken(key);
}
