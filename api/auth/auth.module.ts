import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../platform/config';
import { APP_CONFIG } from '../config/config.module';
import { AuthenticationGuard } from './authentication.guard';
import { ConsoleSessions } from './console-sessions';
import { CredentialStore } from './credential-store';
import { PeopleStore } from './people-store';
import { SignInLimiter } from './sign-in-limiter';
import { SignInService } from './sign-in.service';

/** Authentication for the whole API (API keys and console sessions): the guard runs before every route of every module. */
@Global()
@Module({
  providers: [
    { provide: CredentialStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new CredentialStore(dataSource) },
    { provide: PeopleStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new PeopleStore(dataSource) },
    { provide: ConsoleSessions, inject: [DataSource], useFactory: (dataSource: DataSource) => new ConsoleSessions(dataSource) },
    {
      provide: SignInLimiter,
      inject: [DataSource, APP_CONFIG],
      useFactory: (dataSource: DataSource, config: AppConfig) =>
        new SignInLimiter(dataSource, { perAddress: config.console.signInLimitPerAddress, perClient: config.console.signInLimitPerClient }),
    },
    SignInService,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [CredentialStore, PeopleStore, ConsoleSessions, SignInService],
})
export class AuthModule {}
