import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../workflows/update-request.contract';
import { CurrentActor, Roles } from '../auth/roles.decorator';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { RequestAccess } from '../requests/request-access.service';
import { ReleaseHistoryQuery, ReleaseHistoryView } from './release-history.dto';
import { ReleaseHistory } from './release-history.service';
import { SecurityAdvisories } from './security-advisories.service';
import { PublishSecurityAdvisoryBody, SecurityAdvisoryView } from './security-advisory.dto';

/** A customer's release history: customers read their own, operators and auditors anyone's. */
@ApiTags('releases')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Controller('customers/:customerId/release-history')
export class ReleaseHistoryController {
  constructor(private readonly history: ReleaseHistory) {}

  @Get()
  @ApiOperation({ summary: 'Every update carried out on the customer\'s systems (signed off), newest first' })
  @ApiOkResponse({ type: ReleaseHistoryView })
  @ApiErrors(400, 404)
  of(@CurrentActor() actor: Actor, @Param('customerId') customerId: string, @Query() query: ReleaseHistoryQuery): Promise<ReleaseHistoryView> {
    if (customerId.trim() === '') throw new BadRequestException(['customerId must name a customer']);
    // Another customer's history answers as if it did not exist.
    if (actor.role === 'customer' && actor.customerId !== customerId) throw new NotFoundException(`customer ${customerId} not found`);
    return this.history.of(customerId, query);
  }
}

/** Publishing a critical security request as an advisory to every customer with the software installed. */
@ApiTags('releases')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Controller('requests/:requestId/security-advisory')
export class SecurityAdvisoryController {
  constructor(private readonly advisories: SecurityAdvisories, private readonly access: RequestAccess) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: 'Publish a critical security request as a security advisory: every customer with the software installed is mailed once (operator)' })
  @ApiCreatedResponse({ type: SecurityAdvisoryView })
  @ApiErrors(400, 403, 404, 409, 413, 415)
  publish(@CurrentActor() actor: Actor, @Param('requestId') requestId: string, @Body() _body: PublishSecurityAdvisoryBody): Promise<SecurityAdvisoryView> {
    return this.advisories.publish(actor, requestId);
  }

  @Get()
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'Who published the request as a security advisory, and when (operator, auditor)' })
  @ApiOkResponse({ type: SecurityAdvisoryView })
  @ApiErrors(403, 404)
  async read(@CurrentActor() actor: Actor, @Param('requestId') requestId: string): Promise<SecurityAdvisoryView> {
    await this.access.visibleRequest(actor, requestId);
    const advisory = await this.advisories.find(requestId);
    if (!advisory) throw new NotFoundException(`request ${requestId} has not been published as a security advisory`);
    return advisory;
  }
}
