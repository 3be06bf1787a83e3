import { Injectable, Logger } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { getHostStateQuery, getStateQuery, type Actor, type PendingAction } from '../../workflows/update-request.contract';
import type { ListRequestsQuery } from './list-requests.query';
import { RequestAccess } from './request-access.service';
import { RequestReadModel } from './request-read-model';
import {
  toLiveView, toSummaryView, toTimelineView,
  type LiveStateView, type RequestDetailView, type RequestPageView,
} from './request-views.dto';

/** How long a read waits for the workflow's live state before answering from PostgreSQL alone. */
const LIVE_STATE_TIMEOUT_MS = 3_000;

/** Lists and reads answer from the PostgreSQL read model; a single read adds the workflow's live state. */
@Injectable()
export class RequestQueries {
  private readonly logger = new Logger(RequestQueries.name);

  constructor(
    private readonly readModel: RequestReadModel,
    private readonly access: RequestAccess,
    private readonly client: Client,
    private readonly connection: Connection,
  ) {}

  async list(actor: Actor, query: ListRequestsQuery): Promise<RequestPageView> {
    const { rows, total, totalExact } = await this.readModel.list(actor, query);
    return { items: rows.map(toSummaryView), total, totalExact, page: query.page, pageSize: query.pageSize };
  }

  async detail(actor: Actor, requestId: string): Promise<RequestDetailView> {
    const row = await this.access.visibleRequest(actor, requestId);
    const [timeline, live] = await Promise.all([this.readModel.timeline(requestId), this.liveState(row.workflow_id)]);
    return {
      ...toSummaryView(row),
      ...(row.request ? { request: row.request } : {}),
      timeline: timeline.map(toTimelineView),
      live,
    };
  }

  /** A running host is listed by the request; what that host accepts now, it declares itself. */
  private async hostActions(action: PendingAction): Promise<PendingAction[]> {
    if (!action.workflowId) return [action];
    return (await this.client.workflow.getHandle(action.workflowId).query(getHostStateQuery)).pendingActions;
  }

  /** The workflow's Query, or null when it cannot answer in time (Temporal or the worker away). */
  private async liveState(workflowId: string): Promise<LiveStateView | null> {
    try {
      const state = await this.connection.withDeadline(Date.now() + LIVE_STATE_TIMEOUT_MS, async () => {
        const request = await this.client.workflow.getHandle(workflowId).query(getStateQuery);
        const pendingActions = (await Promise.all(request.pendingActions.map((a) => this.hostActions(a)))).flat();
        return { ...request, pendingActions };
      });
      return toLiveView(state);
    } catch (err) {
      this.logger.warn({ err, workflowId }, 'live state unavailable; answering from the read model');
      return null;
    }
  }
}
