import { Injectable, Logger } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { getHostStateQuery, type HostRun, type HostStep, type HostUpdateState } from '../../workflows/update-request.contract';
import { QUEUE_ORDER, type UpdateRequestRow } from '../requests/request-read-model';

/** How long a page waits for a host workflow's step before leaving its form out. */
const HOST_STATE_TIMEOUT_MS = 3_000;

export interface OutboxRow {
  kind: string;
  subject: string;
  recipients: string[];
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface HostProgress {
  currentStep?: HostStep;
  awaitingFailureDecision: boolean;
  /** The automated technical test's status, while there is one (running, passed and awaiting confirmation, not done). */
  automatedTest?: NonNullable<HostUpdateState['automatedTest']>['status'];
  /** A partner performs the update: each step names who carried it out. */
  performedByPartner?: boolean;
}

/**
 * What the console's pages read beyond the API's request views: each running host's current step
 * (so its form asks for that step), the request's outbox, the operators' queue and calendar. All
 * reads; every action goes through the API's routes.
 */
@Injectable()
export class ConsoleQueries {
  private readonly logger = new Logger(ConsoleQueries.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly connection: Connection,
  ) {}

  /** The current step of each running host, read from its own workflow. */
  async hostProgress(hosts: HostRun[]): Promise<Map<string, HostProgress>> {
    const entries = await Promise.all(hosts.filter((h) => h.status === 'running').map(async ({ target, workflowId }) => {
      try {
        const state = await this.connection.withDeadline(Date.now() + HOST_STATE_TIMEOUT_MS,
          () => this.client.workflow.getHandle(workflowId).query(getHostStateQuery));
        const progress: HostProgress = {
          currentStep: state.currentStep, awaitingFailureDecision: state.awaitingFailureDecision,
          ...(state.automatedTest ? { automatedTest: state.automatedTest.status } : {}),
          ...(state.input.performedByPartner ? { performedByPartner: true } : {}),
        };
        return [[target, progress]] as const;
      } catch (err) {
        this.logger.warn({ err, workflowId }, 'host state unavailable; its form is left out');
        return [];
      }
    }));
    return new Map(entries.flat());
  }

  outbox(requestId: string): Promise<OutboxRow[]> {
    return this.dataSource.query(
      `SELECT kind, subject, recipients, status, attempts, last_error, created_at, sent_at FROM outbox_messages
       WHERE request_id = $1 ORDER BY created_at, id`, [requestId]);
  }

  /** What waits for operators, most urgent first (QUEUE_ORDER: priority, then the nearest deadline). */
  queue(): Promise<UpdateRequestRow[]> {
    return this.dataSource.query(
      `SELECT * FROM update_requests WHERE pending_roles @> ARRAY['operator']::text[]
       ORDER BY ${QUEUE_ORDER} LIMIT 200`);
  }

  /** Requests with a slot overlapping [from, to). */
  slots(from: Date, to: Date): Promise<UpdateRequestRow[]> {
    return this.dataSource.query(
      `SELECT * FROM update_requests WHERE scheduled_start < $2 AND scheduled_end > $1 ORDER BY scheduled_start, request_id`,
      [from, to]);
  }

  /** The customer's time zone, for the pages of customers who have not submitted yet. */
  async customerTimeZone(customerId: string): Promise<string | undefined> {
    const [row]: Array<{ time_zone: string }> = await this.dataSource.query(`SELECT time_zone FROM customers WHERE id = $1`, [customerId]);
    return row?.time_zone;
  }
}
