import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../../platform/config';

/** Injection token of the validated AppConfig (an interface, so it needs a token of its own). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the configuration loaded at start-up injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
