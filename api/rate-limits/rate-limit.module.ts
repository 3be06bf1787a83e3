import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { RateLimitConfig } from '../../platform/config';
import { RateLimitGuard } from './rate-limit.guard';
import { throttlers } from './rate-limits';

/**
 * Rate limits for the whole API (@nestjs/throttler, counters in this process's memory). Import it
 * before the AuthModule: global guards run in registration order, and limits come first.
 */
@Module({})
export class RateLimitModule {
  static forRoot(limits: RateLimitConfig): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [ThrottlerModule.forRoot({ throttlers: throttlers(limits), setHeaders: false })],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
