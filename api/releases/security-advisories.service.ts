import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../platform/config';
import { securityAdvisoryWorkflow } from '../../workflows';
import { securityAdvisoryWorkflowId } from '../../workflows/security-advisory.contract';
import type { Actor } from '../../workflows/update-request.contract';
import { APP_CONFIG } from '../config/config.module';
import { RequestAccess } from '../requests/request-access.service';
import type { SecurityAdvisoryView } from './security-advisory.dto';

interface AdvisoryRow { request_id: string; published_by: string; published_at: Date }

/**
 * Publishing a critical security request as a security advisory: the publication (who, when) is
 * committed first, then the workflow that mails every affected customer is started. A start that
 * fails undoes the publication; a publication whose start was interrupted is started again when it
 * is published again, which otherwise is refused.
 */
@Injectable()
export class SecurityAdvisories {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: RequestAccess,
    private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async publish(actor: Actor, requestId: string): Promise<SecurityAdvisoryView> {
    const row = await this.access.visibleRequest(actor, requestId);
    if (row.request?.criticalSecurity !== true) {
      throw new ConflictException(`request ${requestId} is not a critical security fix: only those are published as security advisories`);
    }
    const [published]: AdvisoryRow[] = await this.dataSource.query(
      `INSERT INTO security_advisories (request_id, published_by) VALUES ($1, $2) ON CONFLICT (request_id) DO NOTHING RETURNING *`,
      [requestId, actor.id]);
    if (!published) {
      const earlier = (await this.find(requestId))!;
      await this.ensureStarted(requestId);
      throw new ConflictException(`request ${requestId} was already published as a security advisory by ${earlier.publishedBy} at ${earlier.publishedAt}`);
    }
    try {
      await this.ensureStarted(requestId);
    } catch (err) {
      await this.dataSource.query(`DELETE FROM security_advisories WHERE request_id = $1`, [requestId]);
      throw err;
    }
    return toView(published);
  }

  /** The advisory published for the request, if any. */
  async find(requestId: string): Promise<SecurityAdvisoryView | undefined> {
    const [row]: AdvisoryRow[] = await this.dataSource.query(`SELECT * FROM security_advisories WHERE request_id = $1`, [requestId]);
    return row && toView(row);
  }

  private async ensureStarted(requestId: string): Promise<void> {
    try {
      await this.client.workflow.start(securityAdvisoryWorkflow, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: securityAdvisoryWorkflowId(requestId),
        args: [{ requestId }],
        // A finished advisory is not run again (its messages would not go out twice anyway: the outbox).
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}

function toView(row: AdvisoryRow): SecurityAdvisoryView {
  return { requestId: row.request_id, publishedBy: row.published_by, publishedAt: row.published_at.toISOString(), workflowId: securityAdvisoryWorkflowId(row.request_id) };
}
