import { Controller, Get, Header, Param, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService } from '../../platform/audit/audit-service';
import type { Actor } from '../../workflows/update-request.contract';
import type { ActiveSession } from '../auth/console-sessions';
import { domainErrors } from '../audit/audit.controller';
import { RequestQueries } from '../requests/request-queries.service';
import { CurrentActor, CurrentSession, Roles } from '../auth/roles.decorator';
import { ConsolePageFilter, HTML_PAGE, notFoundUnlessUuid, pageView } from './console-page';
import { ConsoleViews } from './console-views';

/** The auditors' pages: a request's audit report with its replay verdict, and the archive's verification. */
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@Roles('auditor')
@Controller('console/audit')
export class AuditPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly audit: AuditService,
    private readonly requests: RequestQueries,
  ) {}

  @Get('requests/:requestId')
  @Header('content-type', HTML_PAGE)
  async report(
    @CurrentSession() session: ActiveSession, @CurrentActor() actor: Actor,
    @Param('requestId', notFoundUnlessUuid) requestId: string,
  ): Promise<string> {
    const detail = await this.requests.detail(actor, requestId);
    const [report, replay] = await domainErrors(Promise.all([this.audit.report(requestId), this.audit.replayRequest(requestId)]));
    return this.views.render('audit-report', pageView(session, `Audit report: ${detail.software.name} ${detail.software.targetVersion}`, {
      detail,
      report: {
        ...report,
        steps: report.steps.map((step) => ({ ...step, evidence: Object.entries(step.evidence).map(([key, value]) => ({ key, value: String(value) })) })),
      },
      replay: { deterministic: replay.every((v) => v.deterministic), verdicts: replay },
    }));
  }

  @Get('archive')
  @Header('content-type', HTML_PAGE)
  async archive(@CurrentSession() session: ActiveSession): Promise<string> {
    const verdict = await this.audit.verifyArchive();
    return this.views.render('audit-archive', pageView(session, 'Archive verification', { verdict }));
  }
}
