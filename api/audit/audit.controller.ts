import { BadRequestException, Body, ConflictException, Controller, Get, Header, HttpCode, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { AuditJobRunningError, AuditJobs } from '../../platform/audit/audit-jobs';
import { ReportUnavailableError } from '../../platform/audit/audit-report';
import { AuditService } from '../../platform/audit/audit-service';
import type { ReplayVerdict } from '../../platform/audit/history-replayer';
import { HistoryNotFoundError } from '../../platform/audit/history-store';
import { InvalidHistoryError } from '../../platform/audit/workflow-history';
import { Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { ArchiveReplayResultView, AuditJobView, AuditReportView, ChainVerdictView, ReplayReportView, RequestHistoriesView, StartAuditJobBody } from './audit-views.dto';

/**
 * Auditors only: histories, replays against the current code, the archive's chain and the report.
 * Work on one request answers at once; work on the whole archive is a job (AuditJobs).
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@ApiExtraModels(ArchiveReplayResultView, ChainVerdictView)
@Roles('auditor')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly jobs: AuditJobs,
  ) {}

  @Get('requests/:requestId/histories')
  @ApiOperation({ summary: "Export the request's Temporal histories (its own and each host's) in proto3-JSON" })
  @ApiQuery({ name: 'decrypt', required: false, description: '`true` opens the encrypted payloads' })
  @ApiOkResponse({ type: RequestHistoriesView })
  @ApiErrors(404)
  async histories(@Param('requestId') requestId: string, @Query('decrypt') decrypt?: string): Promise<RequestHistoriesView> {
    const histories = await domainErrors(this.audit.exportRequest(requestId, { decrypt: decrypt === 'true' }));
    return {
      requestId,
      histories: histories.map(({ workflowId, runId, source, json }) => ({ workflowId, runId, source, history: JSON.parse(json) })),
    };
  }

  // GET: a replay reads histories and changes nothing, so it is safe to repeat.
  @Get('requests/:requestId/replay')
  @ApiOperation({ summary: "Replay the request's histories against the current workflow code" })
  @ApiOkResponse({ type: ReplayReportView })
  @ApiErrors(404)
  async replayRequest(@Param('requestId') requestId: string): Promise<ReplayReportView> {
    return replayReport(await domainErrors(this.audit.replayRequest(requestId)));
  }

  @Post('jobs')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start replaying or verifying the whole archive; one job at a time, followed at GET /audit/jobs/{jobId}' })
  @ApiAcceptedResponse({ type: AuditJobView, headers: { Location: { description: 'Where to follow the job', schema: { type: 'string' } } } })
  @ApiErrors(400, 409)
  async startJob(@Body() body: StartAuditJobBody, @Res({ passthrough: true }) res: ServerResponse): Promise<AuditJobView> {
    try {
      const job = await this.jobs.start(body.kind, { expectHead: body.expectHead });
      res.setHeader('Location', `/audit/jobs/${job.id}`);
      return job;
    } catch (err) {
      if (err instanceof AuditJobRunningError) throw new ConflictException({ message: err.message, details: { runningJobId: err.running.id } });
      throw err;
    }
  }

  @Get('jobs/:jobId')
  @ApiOperation({ summary: "An archive job's progress, and its result once finished" })
  @ApiOkResponse({ type: AuditJobView })
  @ApiErrors(404)
  job(@Param('jobId') jobId: string): AuditJobView {
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundException(`no audit job ${jobId} (jobs are forgotten when the API restarts)`);
    return job;
  }

  @Get('requests/:requestId/report')
  @ApiOperation({ summary: 'The audit report: every step with actor, role, evidence, time and Temporal event ids' })
  @ApiOkResponse({ type: AuditReportView })
  @ApiErrors(404, 409)
  report(@Param('requestId') requestId: string): Promise<AuditReportView> {
    return domainErrors(this.audit.report(requestId));
  }

  @Get('requests/:requestId/report.html')
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'The audit report as a printable HTML page' })
  @ApiOkResponse({ description: 'The printable report', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiErrors(404, 409)
  reportHtml(@Param('requestId') requestId: string): Promise<string> {
    return domainErrors(this.audit.reportHtml(requestId));
  }
}

function replayReport(verdicts: ReplayVerdict[]): ReplayReportView {
  return { deterministic: verdicts.every((v) => v.deterministic), verdicts };
}

/** The audit domain's errors a caller can cause, as HTTP errors. */
export async function domainErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof HistoryNotFoundError) throw new NotFoundException(err.message);
    if (err instanceof InvalidHistoryError) throw new BadRequestException(err.message);
    if (err instanceof ReportUnavailableError) throw new ConflictException(err.message);
    throw err;
  }
}
