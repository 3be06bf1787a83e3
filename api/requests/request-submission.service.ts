import { Inject, Injectable, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../platform/config';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { managedUpdateWorkflow } from '../../workflows';
import { initialSearchAttributes, updateRequestWorkflowId, type Actor, type UpdateRequest } from '../../workflows/update-request.contract';
import { APP_CONFIG } from '../config/config.module';
import { ApiMetrics } from '../metrics/api-metrics';
import { IdempotencyKeys, type ClaimedKey, type PresentedKey } from './idempotency-keys';
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
 * Accepting a request. The checks only read, so they come first and hold no connection while
 * another query waits for one. Then the read-model row is written (with the Idempotency-Key, if
 * given, in the same statement), and only then is the workflow started, outside any
 * transaction: an answered 201 always has both. A start that fails undoes the row and the key, so
 * nothing half-accepted is left; a retry with the same key finds the key and makes sure the
 * workflow runs (starting by the request-derived workflow id is idempotent), so an accepted
 * request is never lost.
 */
@Injectable()
export class RequestSubmission {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: RequestReadModel,
    private readonly keys: IdempotencyKeys,
    private readonly client: Client,
    private readonly metrics: ApiMetrics,
    private readonly inventory: InventoryStore,
    private readonly versions: VersionRules,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(actor: Actor, body: SubmitRequestBody, idempotencyKey?: string): Promise<Submission> {
    const customerId = actor.customerId!;
    const key = idempotencyKey === undefined ? undefined : IdempotencyKeys.presented(customerId, idempotencyKey, body);
    // A retry is answered from what its key created, not judged again.
    const earlier = key && await this.keys.find(key);
    if (earlier) return this.replay(key, earlier);

    const request: UpdateRequest = {
      ...(JSON.parse(JSON.stringify(body)) as SubmitRequestBody),
      requestId: randomUUID(),
      customerId,
      submittedAt: new Date().toISOString(),
    };
    await this.refuseUnknownTargets(request);
    request.classification = await this.versions.classify(request, this.config.inventoryCheck === 'enforce');
    const row = await this.readModel.insertAccepted(request, key);
    // Nothing written: a racing submission with the same key claimed it first; answer what that one created.
    if (!row) return this.replay(key!, await this.keys.find(key!));

    try {
      await this.ensureStarted(request);
    } catch (err) {
      await this.forget(request.requestId);
      throw err;
    }
    return { request: toSummaryView(row), replayed: false };
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

  private async replay(key: PresentedKey, earlier: ClaimedKey | undefined): Promise<Submission> {
    // The key vanished after it refused our claim: its submission failed to start and was undone.
    if (!earlier) throw firstSubmissionUndone();
    if (earlier.bodySha256 !== key.bodySha256) {
      throw new UnprocessableEntityException(
        `Idempotency-Key ${key.key} was already used for request ${earlier.requestId} with a different body; use a new key for a new request`);
    }
    const row = await this.readModel.find(earlier.requestId);
    // The first submission failed to start its workflow and is being undone right now.
    if (!row) throw firstSubmissionUndone();
    // Version 0: the workflow has not written yet, so it may never have started (a crash after commit).
    if (row.state_version === 0 && row.request) await this.ensureStarted(row.request);
    return { request: toSummaryView(row), replayed: true };
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
      await this.keys.release(requestId, tx);
      await this.readModel.removeUnstarted(requestId, tx);
    });
  }
}

function firstSubmissionUndone(): ServiceUnavailableException {
  return new ServiceUnavailableException('the first submission with this Idempotency-Key failed to start and was undone; try again');
}
