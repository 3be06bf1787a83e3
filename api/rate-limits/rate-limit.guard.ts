import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { ServerResponse } from 'node:http';

/**
 * The library's guard, refusing with a plain `Retry-After` (it names the header after the limit,
 * `Retry-After-mail`, which clients do not know) and a message saying what the limit is.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<ServerResponse>().setHeader('Retry-After', String(retryAfter));
    throw new ThrottlerException(`too many requests: at most ${detail.limit} in ${detail.ttl / 1000} s; retry after ${retryAfter} s`);
  }
}
