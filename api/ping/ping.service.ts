import { GatewayTimeoutException, Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { TimeoutFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../platform/config';
import { pingWorkflow } from '../../workflows/ping.workflow';
import type { PingOutcome } from '../../workflows/ping.contract';
import { APP_CONFIG } from '../config/config.module';

/** How long a caller waits; without a worker the workflow would otherwise wait for one forever. */
const PING_TIMEOUT = '30 seconds';

@Injectable()
export class PingService {
  constructor(
    private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs one ping workflow to completion: API → Temporal → worker → PostgreSQL + SMTP. */
  async ping(message: string): Promise<PingOutcome> {
    const { taskQueue } = this.config.temporal;
    try {
      return await this.client.workflow.execute(pingWorkflow, {
        taskQueue,
        workflowId: `ping-${randomUUID()}`,
        args: [{ message }],
        workflowExecutionTimeout: PING_TIMEOUT,
      });
    } catch (err) {
      if (err instanceof WorkflowFailedError && err.cause instanceof TimeoutFailure) {
        throw new GatewayTimeoutException(`ping did not finish within ${PING_TIMEOUT}; is a worker polling task queue "${taskQueue}"?`);
      }
      throw err;
    }
  }
}
