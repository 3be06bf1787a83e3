import { Controller, Get, Header, Inject, NotFoundException, Param, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { calendarInvitation } from '../../activities/calendar-invitation';
import { FALLBACK_LANGUAGE } from '../../activities/mail-templates';
import { MailWording } from '../../activities/mail-wording';
import type { AppConfig } from '../../platform/config';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import {
  updateRequestWorkflowId,
  type Actor, type CalendarState, type DowngradeReviewState, type HostRun, type SlotState, type SnapshotRecord, type UpdateRequest,
  type UpdateStatus, type UserActivityState,
} from '../../workflows/update-request.contract';
import type { ActiveSession } from '../auth/console-sessions';
import { CurrentActor, CurrentSession, Roles } from '../auth/roles.decorator';
import { APP_CONFIG } from '../config/config.module';
import { ListRequestsQuery } from '../requests/list-requests.query';
import { RequestQueries } from '../requests/request-queries.service';
import type { RequestDetailView } from '../requests/request-views.dto';
import { actionForms } from './action-forms';
import { ConsolePageFilter, HTML_PAGE, notFoundUnlessUuid, pageView } from './console-page';
import { ConsoleQueries } from './console-queries.service';
import { ConsoleViews } from './console-views';

/** The request pages every role has: the list, a customer's submit form, one request, its calendar event. */
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@Controller('console/requests')
export class RequestPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly requests: RequestQueries,
    private readonly queries: ConsoleQueries,
    private readonly installed: InstalledSoftwareStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wording: MailWording,
  ) {}

  @Get()
  @Header('content-type', HTML_PAGE)
  async list(@CurrentSession() session: ActiveSession, @CurrentActor() actor: Actor): Promise<string> {
    const page = await this.requests.list(actor, Object.assign(new ListRequestsQuery(), { pageSize: 100 }));
    const items = page.items.map((item) => ({ ...item, waitsForMe: item.waitingFor.includes(actor.role) }));
    // A customer sees which of its installed releases leave support within 60 days, or have left it.
    // When it was warned by mail, in its own time zone.
    const supportNotices = actor.role === 'customer'
      ? (await this.installed.list(actor.customerId)).filter((e) => e.support && e.support.status !== 'supported') : [];
    const timeZone = actor.role === 'customer' ? (await this.queries.customerTimeZone(actor.customerId!)) ?? this.config.supportHours.timeZone : undefined;
    return this.views.render('requests', pageView(session, actor.role === 'customer' ? 'Your update requests' : 'Every update request',
      { items, total: page.total, totalExact: page.totalExact, supportNotices, timeZone }));
  }

  @Get('new')
  @Roles('customer')
  @Header('content-type', HTML_PAGE)
  async submitForm(@CurrentSession() session: ActiveSession, @CurrentActor() actor: Actor): Promise<string> {
    const timeZone = (await this.queries.customerTimeZone(actor.customerId!)) ?? this.config.supportHours.timeZone;
    return this.views.render('request-new', pageView(session, 'Ask for an update', { timeZone }));
  }

  @Get(':requestId')
  @Header('content-type', HTML_PAGE)
  @Header('cache-control', 'no-store')
  async detail(
    @CurrentSession() session: ActiveSession, @CurrentActor() actor: Actor, @Param('requestId', notFoundUnlessUuid) requestId: string,
  ): Promise<string> {
    const detail = await this.requests.detail(actor, requestId);
    const staff = actor.role !== 'customer';
    const steps = (detail.live?.steps ?? {}) as { downgradeReview?: DowngradeReviewState; slot?: SlotState; snapshots?: SnapshotRecord[]; calendar?: CalendarState; hosts?: HostRun[]; preChecks?: object; userActivity?: UserActivityState };
    const pending = detail.live?.pendingActions ?? [];
    const forms = actionForms(pending, actor.role, {
      slot: steps.slot,
      preChecksDone: Object.keys(steps.preChecks ?? {}),
      snapshots: steps.snapshots ?? [],
      targets: detail.request?.targets.map((t) => t.name) ?? [],
      hosts: await this.queries.hostProgress(steps.hosts ?? []),
      userActivityUnreachable: steps.userActivity?.unreachable !== undefined,
    });
    const zone = detail.request?.timeZone ?? this.config.supportHours.timeZone;
    return this.views.render('request', pageView(session, `${detail.software.name} ${detail.software.targetVersion}`, {
      detail,
      zone,
      slot: steps.slot,
      hosts: steps.hosts,
      hasCalendar: steps.calendar !== undefined,
      firstInstallation: detail.request?.firstInstallation === true,
      downgrade: detail.request?.downgrade && { reason: detail.request.downgrade.reason, approval: downgradeApproval(detail, steps.downgradeReview) },
      forms: forms.map((form) => ({ ...form, api: form.route && `/requests/${requestId}/${form.route}` })),
      live: detail.live !== null,
      staff,
      waitsForMe: detail.waitingFor.includes(actor.role),
      outbox: staff ? await this.queries.outbox(requestId) : undefined,
      temporalUrl: staff ? this.temporalUrl(detail) : undefined,
      timeline: detail.timeline.map((entry) => ({ ...entry, evidence: Object.entries(entry.evidence).map(([key, value]) => ({ key, value: String(value) })) })),
    }));
  }

  /** The customer's calendar event as last sent (same UID and SEQUENCE), to add it again by hand. */
  @Get(':requestId/calendar.ics')
  async calendar(
    @CurrentActor() actor: Actor, @Param('requestId', notFoundUnlessUuid) requestId: string, @Res() res: ServerResponse,
  ): Promise<void> {
    const detail = await this.requests.detail(actor, requestId);
    const calendar = (detail.live?.steps as { calendar?: CalendarState } | undefined)?.calendar;
    if (!calendar || !detail.request) throw new NotFoundException(`request ${requestId} has no calendar event yet`);
    const cancelled = detail.status === 'cancelled';
    const { software } = detail.request;
    const content = calendarInvitation(
      { method: cancelled ? 'CANCEL' : 'REQUEST', sequence: calendar.sequence, start: calendar.start, end: calendar.end },
      subjectOf(detail.request), this.config.mail.operationsEmail, `Update request ${requestId}`,
      { summary: this.wording.slotSummary(FALLBACK_LANGUAGE, software.name, software.targetVersion, cancelled), language: FALLBACK_LANGUAGE },
    );
    res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `attachment; filename="update-${requestId}.ics"` });
    res.end(content);
  }

  private temporalUrl(detail: RequestDetailView): string | undefined {
    const ui = this.config.console.temporalUiUrl;
    if (!ui) return undefined;
    const workflowId = updateRequestWorkflowId(detail.requestId);
    return `${ui}/namespaces/${encodeURIComponent(this.config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  }
}

/** Where a declared downgrade's approval stands, in words. */
function downgradeApproval(detail: RequestDetailView, review: DowngradeReviewState | undefined): string {
  if (review?.decision) return `${review.decision} by ${review.by}: ${review.reason}`;
  if (detail.live === null) return 'not known while the workflow cannot be reached';
  return UNREVIEWED.includes(detail.status) ? "waiting for an operator's approval" : 'never decided';
}

/** The statuses before and during the downgrade review. */
const UNREVIEWED: readonly UpdateStatus[] = ['intake', 'lead-time-review', 'downgrade-review'];

function subjectOf(request: UpdateRequest) {
  return {
    requestId: request.requestId, customerId: request.customerId, category: request.category, severity: request.severity,
    software: request.software, timeZone: request.timeZone, contacts: request.contacts,
    targets: request.targets.map((t) => t.name), expectedDurationMinutes: request.expectedDurationMinutes,
  };
}
