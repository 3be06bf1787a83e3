import { Body, Controller, Delete, Get, Header, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../../platform/config';
import type { Actor } from '../../workflows/update-request.contract';
import { Public } from '../auth/public.decorator';
import { CurrentActor, Roles } from '../auth/roles.decorator';
import { APP_CONFIG } from '../config/config.module';
import { ApiAuthenticatedErrors, ApiErrors } from '../errors/error-body.dto';
import { MailWording } from '../../activities/mail-wording';
import { calendarFeed } from './calendar-feed';
import { CalendarFeedView, IssueCalendarFeedBody, RevokedCalendarFeedView } from './calendar-feed.dto';
import { calendarFeedUrl, CalendarFeeds, RECENT_DAYS } from './calendar-feeds';

/** A customer's feed token: issued and revoked by operators, or by the customer for itself. */
@ApiTags('calendar')
@ApiBearerAuth()
@ApiAuthenticatedErrors()
@Roles('customer', 'operator')
@Controller('customers/:customerId/calendar-feed')
export class CalendarFeedTokenController {
  constructor(private readonly feeds: CalendarFeeds, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post()
  @ApiOperation({ summary: "Issue the customer's calendar feed URL; any earlier URL stops working" })
  @ApiCreatedResponse({ type: CalendarFeedView })
  @ApiErrors(400, 403, 404)
  async issue(@CurrentActor() actor: Actor, @Param('customerId') customerId: string, @Body() _body: IssueCalendarFeedBody): Promise<CalendarFeedView> {
    const issued = ownCustomer(actor, customerId) ? await this.feeds.issue(customerId, actor.id) : undefined;
    if (!issued) throw notFound(customerId);
    return { url: calendarFeedUrl(this.config.console.url, issued.token), issuedAt: issued.issuedAt.toISOString() };
  }

  @Delete()
  @ApiOperation({ summary: "Revoke the customer's calendar feed: its URL answers 404 from now on; answers the feed revoked" })
  @ApiOkResponse({ type: RevokedCalendarFeedView })
  @ApiErrors(403, 404)
  async revoke(@CurrentActor() actor: Actor, @Param('customerId') customerId: string): Promise<RevokedCalendarFeedView> {
    const revoked = ownCustomer(actor, customerId) ? await this.feeds.revoke(customerId) : undefined;
    if (!revoked) throw new NotFoundException(`customer ${customerId} has no calendar feed`);
    return { customerId, issuedAt: revoked.issuedAt.toISOString(), issuedBy: revoked.issuedBy };
  }
}

/** The feed itself: the token in the URL is its only credential, as calendar programs send no API key. */
@Public()
@ApiTags('calendar')
@Controller('calendar')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeeds, private readonly wording: MailWording) {}

  @Get(':token.ics')
  @Header('content-type', 'text/calendar; charset=utf-8')
  @Header('cache-control', 'private, no-store')
  @ApiOperation({ summary: `A customer's agreed update slots, upcoming and of the last ${RECENT_DAYS} days, as iCalendar` })
  @ApiOkResponse({ description: 'The iCalendar feed', content: { 'text/calendar': { schema: { type: 'string' } } } })
  @ApiErrors(404, 429)
  async feed(@Param('token') token: string): Promise<string> {
    const customer = await this.feeds.customerFor(token);
    // The same answer for a token never issued and one revoked or replaced.
    if (!customer) throw new NotFoundException('no such calendar feed');
    return calendarFeed(customer.name, await this.feeds.slots(customer.id), this.wording);
  }
}

/** A customer acts only for itself; another customer's id is answered as if it did not exist. */
function ownCustomer(actor: Actor, customerId: string): boolean {
  return actor.role !== 'customer' || actor.customerId === customerId;
}

function notFound(customerId: string): NotFoundException {
  return new NotFoundException(`customer ${customerId} not found`);
}
