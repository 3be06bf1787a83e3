import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { AppConfig } from '../../platform/config';
import { payloadDataConverter } from '../../platform/payload-codec';
import { APP_CONFIG } from '../config/config.module';

// The SDK retries an unreachable server for about 20 s; a request waits out a blip of about 3 s
// instead, then the caller gets a 503 with Retry-After.
const RETRY = makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 6 }));

/**
 * The Temporal client of the API. The connection is lazy: the API starts (and /health says so)
 * while Temporal is still coming up, and gRPC reconnects by itself after an outage.
 */
@Global()
@Module({
  providers: [
    {
      provide: Connection,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => Connection.lazy({ address: config.temporal.address, interceptors: [RETRY] }),
    },
    {
      provide: Client,
      inject: [Connection, APP_CONFIG],
      useFactory: (connection: Connection, config: AppConfig) =>
        new Client({ connection, namespace: config.temporal.namespace, dataConverter: payloadDataConverter(config.payloadKeys) }),
    },
  ],
  exports: [Connection, Client],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(Connection) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
