import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { PingOutcome } from '../../workflows/ping.contract';
import { Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { MailSending } from '../rate-limits/rate-limits';
import { PingOutcomeView, PingRequest } from './ping.dto';
import { PingService } from './ping.service';

/** The end-to-end smoke path, for operators checking a deployment. */
@ApiTags('operations')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Roles('operator')
@Controller('ping')
export class PingController {
  constructor(private readonly pings: PingService) {}

  @Post()
  @MailSending()
  @ApiCreatedResponse({ type: PingOutcomeView })
  @ApiErrors(400, 403, 413, 415, 504)
  ping(@Body() body: PingRequest): Promise<PingOutcome> {
    return this.pings.ping(body.message);
  }
}
