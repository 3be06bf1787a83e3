import { BadRequestException, Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import type { Actor } from '../../workflows/update-request.contract';
import { CurrentActor, Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { SubmissionLimit } from '../rate-limits/rate-limits';
import { ListRequestsQuery } from './list-requests.query';
import { RequestQueries } from './request-queries.service';
import { RequestSubmission } from './request-submission.service';
import { RequestDetailView, RequestPageView, RequestSummaryView } from './request-views.dto';
import { SubmitRequestBody } from './submit-request.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('requests')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Controller('requests')
export class RequestsController {
  constructor(
    private readonly submission: RequestSubmission,
    private readonly queries: RequestQueries,
  ) {}

  @Post()
  @SubmissionLimit()
  @Roles('customer')
  @ApiOperation({ summary: 'Submit an update request (customers)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body returns the first result' })
  @ApiCreatedResponse({
    type: RequestSummaryView,
    description: 'Accepted',
    headers: {
      Location: { description: 'The path of the request', schema: { type: 'string' } },
      'Idempotent-Replayed': { description: '`true` when the Idempotency-Key returned an earlier submission', schema: { type: 'string' } },
    },
  })
  @ApiErrors(400, 403, 413, 415, 422)
  async submit(
    @CurrentActor() actor: Actor,
    @Body() body: SubmitRequestBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<RequestSummaryView> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException(['Idempotency-Key must be 1 to 200 visible ASCII characters']);
    }
    const { request, replayed } = await this.submission.submit(actor, body, idempotencyKey);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/requests/${request.requestId}`);
    return request;
  }

  @Get()
  @ApiOperation({ summary: "List requests (a customer's own; everyone's for operators and auditors)" })
  @ApiOkResponse({ type: RequestPageView })
  @ApiErrors(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListRequestsQuery): Promise<RequestPageView> {
    return this.queries.list(actor, query);
  }

  @Get(':requestId')
  @ApiOperation({ summary: 'Read one request with its timeline and pending actions' })
  @ApiOkResponse({ type: RequestDetailView })
  @ApiErrors(404)
  detail(@CurrentActor() actor: Actor, @Param('requestId') requestId: string): Promise<RequestDetailView> {
    return this.queries.detail(actor, requestId);
  }
}
