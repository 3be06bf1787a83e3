import { Inject, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditJobs } from '../../platform/audit/audit-jobs';
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
        new AuditService({ client, dataSource, payloadKeys: config.payloadKeys, workflowBundlePath: WORKFLOW_BUNDLE_PATH, replayConcurrency: config.auditReplayConcurrency, replayLaneIdleMs: config.auditReplayLaneIdleMs }),
    },
    { provide: AuditJobs, inject: [AuditService], useFactory: (audit: AuditService) => new AuditJobs(audit) },
  ],
  exports: [AuditService],
})
export class AuditModule implements BeforeApplicationShutdown {
  constructor(@Inject(AuditJobs) private readonly jobs: AuditJobs, @Inject(AuditService) private readonly audit: AuditService) {}

  /** A job under way finishes before the database pool and the Temporal connection close; then the replay lanes stop. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.jobs.settled();
    await this.audit.close();
  }
}
