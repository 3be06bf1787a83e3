import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 256 random bits. Such a key cannot be guessed or brute-forced, so a plain SHA-256
 * is enough to store it (a slow password hash protects low-entropy secrets, which these are not)
 * and lets the guard find a caller with one indexed lookup.
 */
const KEY_PREFIX = 'mu_';

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
