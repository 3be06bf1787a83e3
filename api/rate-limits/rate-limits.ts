import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp, type ThrottlerOptions } from '@nestjs/throttler';
import type { RateLimitConfig } from '../../platform/config';
import { BEARER } from '../auth/authentication.guard';

/** The limits that count only the routes marked for them. */
export type StrictLimit = 'submissions' | 'mail';

const strictLimitKey = (limit: StrictLimit) => `rate-limit:${limit}`;

/** Marks a route that creates a request (POST /requests): it counts against RATE_LIMIT_SUBMISSIONS too. */
export const SubmissionLimit = () => SetMetadata(strictLimitKey('submissions'), true);

/**
 * Marks a route that sends e-mail (POST /ping; sign-in links): it counts against RATE_LIMIT_MAIL too.
 * Every marked route draws on one budget per caller, so mail cannot be multiplied by using several routes.
 */
export const MailSending = () => SetMetadata(strictLimitKey('mail'), true);

const reflector = new Reflector();

/** The API key a request presents, as its SHA-256 (the counters never hold a key). */
function presentedKey(req: IncomingMessage): string | undefined {
  const key = BEARER.exec(req.headers.authorization ?? '')?.[1];
  return key && createHash('sha256').update(key).digest('hex');
}

/** Express's client address (X-Forwarded-For only from trusted proxies); an IPv6 client counts by its /64. */
function clientAddress(req: IncomingMessage & { ip?: string }): string {
  return normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** Per presented key, else (sign-in and other unauthenticated routes) per client address. */
function keyOrAddress(req: IncomingMessage & { ip?: string }): string {
  const key = presentedKey(req);
  return key ? `key:${key}` : `address:${clientAddress(req)}`;
}

function isMarked(limit: StrictLimit, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(strictLimitKey(limit), [context.getHandler(), context.getClass()]) === true;
}

/**
 * The named limits, checked before authentication so that a flood of bad keys is refused too:
 * every request counts against its key's and its address's budget (shared by all routes), a
 * marked route also against its strict limit. The key is the limit's name and the tracker, not the
 * route, so a budget spans routes.
 */
export function throttlers(limits: RateLimitConfig): ThrottlerOptions[] {
  const ttl = limits.windowSeconds * 1000;
  const generateKey = (_context: ExecutionContext, tracker: string, name: string) => `${name}:${tracker}`;
  return [
    {
      name: 'per-key', ttl, limit: limits.perKey, generateKey,
      getTracker: (req) => presentedKey(req as IncomingMessage) ?? '',
      skipIf: (context) => presentedKey(context.switchToHttp().getRequest()) === undefined,
    },
    { name: 'per-address', ttl, limit: limits.perAddress, generateKey, getTracker: (req) => clientAddress(req as IncomingMessage) },
    ...(['submissions', 'mail'] as const).map((name): ThrottlerOptions => ({
      name, ttl, limit: limits[name], generateKey,
      getTracker: (req) => keyOrAddress(req as IncomingMessage),
      skipIf: (context) => !isMarked(name, context),
    })),
  ];
}
