import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  FINAL_STATUSES, getStateQuery,
  type ActionReceipt, type Actor, type HostReceipt, type UpdateRequest,
} from '../../workflows/update-request.contract';
import { ApiMetrics } from '../metrics/api-metrics';
import { RequestAccess } from './request-access.service';
import type { UpdateRequestRow } from './request-read-model';
import { toActionReceiptView, toHostReceiptView, type ActionReceiptView, type HostReceiptView } from './request-views.dto';

/**
 * How long an action waits for the workflow to accept or refuse it. Without a polling worker an
 * Update would wait indefinitely; past this the caller gets a 503 and may retry.
 */
const UPDATE_TIMEOUT_MS = 30_000;

/**
 * Every human action is a Workflow Update carrying the caller as its actor. The workflow's
 * validator decides; its refusal becomes a 409 with the validator's reason.
 */
@Injectable()
export class RequestActions {
  constructor(
    private readonly access: RequestAccess,
    private readonly client: Client,
    private readonly connection: Connection,
    private readonly metrics: ApiMetrics,
  ) {}

  /** Sends `update` with `body` and the caller to the request's workflow. */
  async perform<Body extends object>(
    actor: Actor, requestId: string, update: UpdateDefinition<ActionReceipt, [Body & { actor: Actor }]>, body: Body,
  ): Promise<ActionReceiptView> {
    const row = await this.openRequest(actor, requestId, update.name);
    return toActionReceiptView(await this.execute(row.workflow_id, update, { ...body, actor }));
  }

  /** Sends a host step or failure decision to the child workflow that is updating `target`. */
  async performOnHost<Body extends object>(
    actor: Actor, requestId: string, target: string,
    update: UpdateDefinition<HostReceipt, [Body & { actor: Actor; target: string }]>, body: Body,
  ): Promise<HostReceiptView> {
    const row = await this.openRequest(actor, requestId, update.name);
    const state = await this.withDeadline(() => this.client.workflow.getHandle(row.workflow_id).query(getStateQuery));
    if (!isTargetOf(state.request, target)) throw new NotFoundException(`request ${requestId} has no target ${target}`);
    const host = state.hosts.find((h) => h.target === target && h.status === 'running');
    if (!host) {
      this.metrics.updatesRefused.inc({ update: update.name });
      throw new ConflictException(`no installation is running on ${target} (status ${state.status})`);
    }
    return toHostReceiptView(await this.execute(host.workflowId, update, { ...body, actor, target }));
  }

  private async openRequest(actor: Actor, requestId: string, update: string): Promise<UpdateRequestRow> {
    const row = await this.access.visibleRequest(actor, requestId);
    if (FINAL_STATUSES.includes(row.status)) {
      this.metrics.updatesRefused.inc({ update });
      throw new ConflictException(`the request is closed (status ${row.status}): no action is possible`);
    }
    return row;
  }

  private async execute<Result, Input>(workflowId: string, update: UpdateDefinition<Result, [Input]>, input: Input): Promise<Result> {
    try {
      return await this.withDeadline(() => this.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [input] }));
    } catch (err) {
      if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      this.metrics.updatesRefused.inc({ update: update.name });
      throw new ConflictException(err.cause?.message ?? err.message);
    }
  }

  private withDeadline<T>(call: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, call);
  }
}

function isTargetOf(request: UpdateRequest, target: string): boolean {
  return request.targets.some((t) => t.name === target);
}
