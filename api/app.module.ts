import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../platform/config';
import { dataSourceOptions } from '../platform/database/data-source';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { HealthModule } from './health/health.module';
import { InventoryModule } from './inventory/inventory.module';
import { loggerParams } from './logging/logger-params';
import { MailModule } from './mail/mail.module';
import type { ApiMetrics } from './metrics/api-metrics';
import { MetricsModule } from './metrics/metrics.module';
import { PingModule } from './ping/ping.module';
import { RateLimitModule } from './rate-limits/rate-limit.module';
import { ReleasesModule } from './releases/releases.module';
import { RequestsModule } from './requests/requests.module';
import { TemporalModule } from './temporal/temporal.module';

/** The API: shared infrastructure modules built from one validated configuration, then the features. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, metrics: ApiMetrics): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.logLevel)),
        TypeOrmModule.forRoot(dataSourceOptions(config.database)),
        MetricsModule.forRoot(metrics),
        TemporalModule,
        MailModule,
        // Before AuthModule: its guard runs first, so floods with bad keys are limited too.
        RateLimitModule.forRoot(config.rateLimits),
        AuthModule,
        InventoryModule,
        HealthModule,
        PingModule,
        RequestsModule,
        ReleasesModule,
        AuditModule,
        CalendarModule,
        ConsoleModule,
      ],
    };
  }
}
