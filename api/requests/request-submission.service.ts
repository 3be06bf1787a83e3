import { Inject, Injectable, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../platform/config';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { managedUpdateWorkflow } from '../../workflows';
import { initialSearchAttributes, updateRequestWorkflowId, type Actor, type UpdateRequest } from '../../workflows/update-request.contract';
import { APP_CONFIG } from '../config/config.module';
import { ApiMetrics } from '../metrics/api-metrics';
import { RequestReadModel } from './request-read-model';
import { toSummaryView, type RequestSummaryView } from './request-views.dto';
import type { SubmitRequestBody } from './submit-request.dto';
import { VersionRules } from './version-rules';

export interface Submission {
  request: RequestSummaryView;
  /** True when an Idempotency-Key returned an earlier submission instead of a new request. */
  replayed: boolean;
}

/**
 * Accepting a request: its read-model row (and idempotency key, if given) are committed first, then
 * its workflow is started. A start that fails undoes both, so nothing half-accepted is left; a
 * retry with the same key finds the key and makes sure the workflow runs (starting by the
 * request-derived workflow id is idempotent), so an accepted request is never lost.
 */
@Injectable()
export class RequestSubmission {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: RequestReadModel,
    private readonly client: Client,
    private readonly metrics: ApiMetrics,
    private readonly inventory: InventoryStore,
    private readonly versions: VersionRules,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(actor: Actor, body: SubmitRequestBody, idempotencyKey?: string): Promise<Submission> {
    const customerId = actor.customerId!;
    const request: UpdateRequest = {
      ...(JSON.parse(JSON.stringify(body)) as SubmitRequestBody),
      requestId: randomUUID(),
      customerId,
      submittedAt: new Date().toISOString(),
    };
    const earlier = await this.dataSource.transaction(async (tx) => {
      if (idempotencyKey !== undefined) {
        const fingerprint = bodyFingerprint(body);
        const inserted: unknown[] = await tx.query(
          `INSERT INTO idempotency_keys (scope, key, request_id, body_sha256) VALUES ($1, $2, $3, $4)
           ON CONFLICT (scope, key) DO NOTHING RETURNING request_id`,
          [idempotencyScope(customerId), idempotencyKey, request.requestId, fingerprint]);
        if (inserted.length === 0) {
          const [first]: Array<{ request_id: string; body_sha256: string }> = await tx.query(
            `SELECT request_id, body_sha256 FROM idempotency_keys WHERE scope = $1 AND key = $2`,
            [idempotencyScope(customerId), idempotencyKey]);
          if (first.body_sha256 !== fingerprint) {
            throw new UnprocessableEntityException(
              `Idempotency-Key ${idempotencyKey} was already used for request ${first.request_id} with a different body; use a new key for a new request`);
          }
          return first.request_id;
        }
      }
      await this.refuseUnknownTargets(request);
      request.classification = await this.versions.classify(request, this.config.inventoryCheck === 'enforce');
      await this.readModel.insertAccepted(request, tx);
      return undefined;
    });
    if (earlier !== undefined) return { request: await this.replay(earlier), replayed: true };

    try {
      await this.ensureStarted(request);
    } catch (err) {
      await this.forget(request.requestId);
      throw err;
    }
    return { request: toSummaryView((await this.readModel.find(request.requestId))!), replayed: false };
  }

  /** Only systems the inventory lists for the customer can be updated (a retried key was checked when first used). */
  private async refuseUnknownTargets(request: UpdateRequest): Promise<void> {
    if (this.config.inventoryCheck === 'off') return;
    const unknown = await this.inventory.unknownTargets(request.customerId, request.targets.map((t) => t.name));
    if (unknown.length > 0) {
      throw new UnprocessableEntityException({
        message: `not in the inventory of customer ${request.customerId}: ${unknown.join(', ')}; an operator adds systems under /inventory`,
        details: { unknownTargets: unknown },
      });
    }
  }

  private async replay(requestId: string): Promise<RequestSummaryView> {
    const row = await this.readModel.find(requestId);
    // The first submission failed to start its workflow and is being undone right now.
    if (!row) throw new ServiceUnavailableException('the first submission with this Idempotency-Key failed; try again');
    // Version 0: the workflow has not written yet, so it may never have started (a crash after commit).
    if (row.state_version === 0 && row.request) await this.ensureStarted(row.request);
    return toSummaryView(row);
  }

  /**
   * Starts the request's workflow unless it runs already: a racing retry of the same key may have
   * started it first, which is no failure (the workflow id is derived from the request id).
   */
  private async ensureStarted(request: UpdateRequest): Promise<void> {
    try {
      await this.client.workflow.start(managedUpdateWorkflow, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: updateRequestWorkflowId(request.requestId),
        args: [request],
        typedSearchAttributes: initialSearchAttributes(request),
      });
      this.metrics.workflowsStarted.inc();
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** Undoes the acceptance of a request whose workflow could not be started. */
  private async forget(requestId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`DELETE FROM idempotency_keys WHERE request_id = $1`, [requestId]);
      await this.readModel.removeUnstarted(requestId, tx);
    });
  }
}

function idempotencyScope(customerId: string): string {
  return `submit:${customerId}`;
}

/** SHA-256 of the body with its keys sorted, so the same request in another key order matches. */
function bodyFingerprint(body: SubmitRequestBody): string {
  return createHash('sha256').update(JSON.stringify(sortKeys(body))).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}
