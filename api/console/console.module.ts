import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
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
  controllers: [SignInController, RequestPagesController, ReleasePagesController, OperatorPagesController, AuditPagesController],
  providers: [{ provide: ConsoleViews, useFactory: () => new ConsoleViews() }, ConsoleQueries, ConsolePageFilter],
})
export class ConsoleModule {}
