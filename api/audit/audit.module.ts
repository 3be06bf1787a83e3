import { Module } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditService } from '../../platform/audit/audit-service';
import type { AppConfig } from '../../platform/config';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import { APP_CONFIG } from '../config/config.module';
import { AuditController } from './audit.controller';

/** The auditors' door to platform/audit: the same AuditService the `npm run audit` command uses. */
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: AuditService,
      inject: [Client, DataSource, APP_CONFIG],
      useFactory: (client: Client, dataSource: DataSource, config: AppConfig) =>
        new AuditService({ client, dataSource, payloadKeys: config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH }),
    },
  ],
  exports: [AuditService],
})
export class AuditModule {}
