import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AuthenticationGuard } from './authentication.guard';
import { CredentialStore } from './credential-store';

/** Authentication for the whole API: the guard runs before every route of every module. */
@Global()
@Module({
  providers: [
    { provide: CredentialStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new CredentialStore(dataSource) },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [CredentialStore],
})
export class AuthModule {}
