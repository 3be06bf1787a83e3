import { Module } from '@nestjs/common';
import { IdempotencyKeys } from './idempotency-keys';
import { RequestAccess } from './request-access.service';
import { RequestActionsController } from './request-actions.controller';
import { RequestActions } from './request-actions.service';
import { RequestQueries } from './request-queries.service';
import { RequestReadModel } from './request-read-model';
import { RequestSubmission } from './request-submission.service';
import { RequestsController } from './requests.controller';
import { VersionRules } from './version-rules';

/** Update requests: submitted, listed and read by people, driven step by step through Workflow Updates. */
@Module({
  controllers: [RequestsController, RequestActionsController],
  providers: [IdempotencyKeys, RequestReadModel, RequestAccess, RequestQueries, RequestSubmission, RequestActions, VersionRules],
  // The console's pages read through the same services, with the same tenancy checks.
  exports: [RequestQueries, RequestAccess, RequestReadModel, RequestActions],
})
export class RequestsModule {}
