import { Body, Controller, Get, Header, HttpCode, NotFoundException, Param, Post, UseFilters } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client, Connection } from '@temporalio/client';
import { SlotAcceptanceLinks, type SlotAcceptanceLink } from '../../platform/partners/slot-acceptance-links';
import { acceptSlotAsPartnerUpdate, getStateQuery, updateRequestWorkflowId, type Actor } from '../../workflows/update-request.contract';
import { Public } from '../auth/public.decorator';
import { HTML_PAGE, ConsolePageFilter, pageView } from '../console/console-page';
import { ConsoleViews } from '../console/console-views';
import { ApiErrors } from '../errors/error-body.dto';
import { RequestActions } from '../requests/request-actions.service';
import { ActionReceiptView } from '../requests/request-views.dto';

/** Accepting takes no input (the link names the proposal); the body is an (empty) object like every other POST's. */
export class AcceptSlotAsPartnerBody {}

/** How long the page waits for the workflow's state before it says it cannot show the slot now. */
const STATE_TIMEOUT_MS = 3_000;

/**
 * Where the partner who performs an update accepts its slot: the link in the partner's mail. Its
 * token is the only credential (the partner has no key or sign-in), it stands for one proposal of
 * one request, and the workflow refuses it once that proposal is replaced or already accepted.
 * Opening the page changes nothing, so a mail scanner that follows the link accepts nothing.
 */
@Public()
@ApiTags('partners')
@UseFilters(ConsolePageFilter)
@Controller('partner/slot-acceptance')
export class PartnerSlotAcceptanceController {
  constructor(
    private readonly links: SlotAcceptanceLinks,
    private readonly actions: RequestActions,
    private readonly views: ConsoleViews,
    private readonly client: Client,
    private readonly connection: Connection,
  ) {}

  @Get(':token')
  @Header('content-type', HTML_PAGE)
  @Header('cache-control', 'private, no-store')
  @ApiOperation({ summary: "The partner's page for a proposed slot: what it is, and whether it waits for the partner's acceptance" })
  // Errors here are pages too (an unknown link is a 404 page), so none is listed in the JSON error format.
  @ApiOkResponse({ description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  async page(@Param('token') token: string): Promise<string> {
    const link = await this.linkFor(token);
    const state = await this.connection.withDeadline(Date.now() + STATE_TIMEOUT_MS,
      () => this.client.workflow.getHandle(updateRequestWorkflowId(link.requestId)).query(getStateQuery)).catch(() => undefined);
    const slot = state?.slot;
    const current = slot !== undefined && slot.proposal === link.proposal;
    return this.views.render('partner-slot-acceptance', pageView(undefined, 'Accept the update slot', {
      token,
      request: state?.request,
      slot: current ? slot : undefined,
      unavailable: state === undefined,
      superseded: state !== undefined && !current,
      acceptedByPartner: current && slot.partnerAcceptedAt !== undefined,
      agreed: current && slot.status === 'accepted',
      open: current && slot.status === 'proposed' && slot.partnerAcceptedAt === undefined,
    }));
  }

  @Post(':token')
  @HttpCode(200)
  @ApiOperation({ summary: "The partner accepts the proposed slot the link was sent for; the slot is agreed once the customer has accepted it too" })
  @ApiExtension('x-workflow-update', acceptSlotAsPartnerUpdate.name)
  @ApiOkResponse({ type: ActionReceiptView })
  @ApiErrors(400, 404, 409, 413, 415, 429)
  async accept(@Param('token') token: string, @Body() _body: AcceptSlotAsPartnerBody): Promise<ActionReceiptView> {
    const link = await this.linkFor(token);
    const partner: Actor = { id: link.partnerEmail, role: 'partner' };
    return this.actions.perform(partner, link.requestId, acceptSlotAsPartnerUpdate, { proposal: link.proposal });
  }

  /** The same answer for a token never issued and one replaced by a retried mail. */
  private async linkFor(token: string): Promise<SlotAcceptanceLink> {
    const link = await this.links.find(token);
    if (!link) throw new NotFoundException('no such acceptance link');
    return link;
  }
}
