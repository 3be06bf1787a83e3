import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

/** The app's metrics, created by createApp (which also installs the HTTP middleware) and injectable everywhere. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(metrics: ApiMetrics): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: ApiMetrics, useValue: metrics }],
      exports: [ApiMetrics],
    };
  }
}
