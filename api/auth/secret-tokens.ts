import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The secrets this service hands out (API keys, sign-in links, session cookies) are 256 random
 * bits. Such a token cannot be guessed or brute-forced, so a plain SHA-256 is enough to store it
 * (a slow password hash protects low-entropy secrets, which these are not) and lets one indexed
 * lookup find its holder.
 */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two secrets in constant time, so the comparison's duration reveals nothing. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
