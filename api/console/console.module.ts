import { Module } from '@nestjs/common';
import { loadMailWording } from '../../activities/mail-templates';
import { MailWording } from '../../activities/mail-wording';
import { DataSource } from 'typeorm';
import { SlotAcceptanceLinks } from '../../platform/partners/slot-acceptance-links';
import { AuditModule } from '../audit/audit.module';
import { PartnerSlotAcceptanceController } from '../partners/partner-slot-acceptance.controller';
import { ReleasesModule } from '../releases/releases.module';
import { RequestsModule } from '../requests/requests.module';
import { AuditPagesController } from './audit-pages.controller';
import { ConsolePageFilter } from './console-page';
import { ConsoleQueries } from './console-queries.service';
import { ConsoleViews } from './console-views';
import { OperatorPagesController } from './operator-pages.controller';
import { ReleasePagesController } from './release-pages.controller';
import { RequestPagesController } from './request-pages.controller';
import { SignInController } from './sign-in.controller';

/**
 * The web console for people: server-rendered pages under /console that read through the API's
 * own services and act through the API's own routes (from the browser, with the session cookie
 * and its CSRF token), so the console adds no second path into the workflow.
 */
@Module({
  imports: [RequestsModule, ReleasesModule, AuditModule],
  // The partner's acceptance page is a page too, but for someone without a sign-in: its link's token admits them.
  controllers: [
    SignInController, RequestPagesController, ReleasePagesController, OperatorPagesController, AuditPagesController, PartnerSlotAcceptanceController,
  ],
  providers: [
    { provide: ConsoleViews, useFactory: () => new ConsoleViews() }, ConsoleQueries, ConsolePageFilter,
    // The calendar event a request page offers is titled as the mailed invitation is.
    { provide: MailWording, useFactory: () => loadMailWording() },
    { provide: SlotAcceptanceLinks, inject: [DataSource], useFactory: (dataSource: DataSource) => new SlotAcceptanceLinks(dataSource) },
  ],
})
export class ConsoleModule {}
