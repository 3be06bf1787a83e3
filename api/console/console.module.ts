import { Module } from '@nestjs/common';
import { loadMailWording } from '../../activities/mail-templates';
import { MailWording } from '../../activities/mail-wording';
import { AuditModule } from '../audit/audit.module';
import { RequestsModule } from '../requests/requests.module';
import { AuditPagesController } from './audit-pages.controller';
import { ConsolePageFilter } from './console-page';
import { ConsoleQueries } from './console-queries.service';
import { ConsoleViews } from './console-views';
import { OperatorPagesController } from './operator-pages.controller';
import { RequestPagesController } from './request-pages.controller';
import { SignInController } from './sign-in.controller';

/**
 * The web console for people: server-rendered pages under /console that read through the API's
 * own services and act through the API's own routes (from the browser, with the session cookie
 * and its CSRF token), so the console adds no second path into the workflow.
 */
@Module({
  imports: [RequestsModule, AuditModule],
  controllers: [SignInController, RequestPagesController, OperatorPagesController, AuditPagesController],
  providers: [
    { provide: ConsoleViews, useFactory: () => new ConsoleViews() }, ConsoleQueries, ConsolePageFilter,
    // The calendar event a request page offers is titled as the mailed invitation is.
    { provide: MailWording, useFactory: () => loadMailWording() },
  ],
})
export class ConsoleModule {}
