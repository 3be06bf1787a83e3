import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  updateRequestWorkflowId,
  type Actor, type Outcome, type Role, type UpdateRequest, type UpdateStatus,
} from '../../workflows/update-request.contract';
import { priorityOf } from '../../workflows/priority';
import type { PresentedKey } from './idempotency-keys';
import { UPCOMING_DAYS, type ListRequestsQuery } from './list-requests.query';
import { EXACT_TOTAL_LIMIT } from './request-views.dto';

/** A row of `update_requests`, the projection the workflow keeps through `syncReadModel`. */
export interface UpdateRequestRow {
  request_id: string;
  workflow_id: string;
  customer_id: string;
  software_name: string;
  target_version: string;
  category: string;
  /** 1 (most urgent) to 4; null on rows projected before priorities existed. */
  priority: number | null;
  status: UpdateStatus;
  outcome: Outcome | null;
  current_step: string;
  scheduled_start: Date | null;
  scheduled_end: Date | null;
  next_deadline: Date | null;
  pending_roles: Role[];
  submitted_at: Date;
  updated_at: Date;
  state_version: number;
  request: UpdateRequest | null;
}

export interface AuditEventRow {
  event_key: string;
  step: string;
  action: string;
  actor: string;
  role: Role | 'system';
  evidence: Record<string, unknown>;
  occurred_at: Date;
}

export interface RequestListPage {
  rows: UpdateRequestRow[];
  /** Every match when totalExact; otherwise a bound that more requests match. */
  total: number;
  totalExact: boolean;
}

/**
 * The operators' queue order: the most urgent priority first, then the nearest deadline, then the
 * oldest request. Matches the update_requests_queue_idx index.
 */
export const QUEUE_ORDER = 'priority ASC NULLS LAST, next_deadline ASC NULLS LAST, submitted_at ASC, request_id';

/**
 * Reads of the projection and the audit trail, and the one write the API makes to them: the row of
 * a request it has just accepted, at version 0, so the request can be read back at once. The
 * workflow's own writes (version 1 and up) then take over.
 */
@Injectable()
export class RequestReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Answers the row as written, so the caller needs no second read. With `key`, the customer's
   * Idempotency-Key is claimed for the request in the same statement, so there are both or
   * neither: undefined when the key is taken. A racing claim of the same key waits for the first
   * one's statement to end; one statement rather than a transaction of four round trips.
   */
  async insertAccepted(request: UpdateRequest, key?: PresentedKey): Promise<UpdateRequestRow | undefined> {
    const params = [request.requestId, updateRequestWorkflowId(request.requestId), request.customerId, request.software.name,
      request.software.targetVersion, request.category, request.submittedAt, JSON.stringify(request), priorityOf(request).rank];
    const insert = `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category,
         status, current_step, submitted_at, updated_at, state_version, request, priority)`;
    const values = `$1, $2, $3, $4, $5, $6, 'intake', 'intake', $7, now(), 0, $8, $9`;
    const [inserted]: UpdateRequestRow[] = key
      ? await this.dataSource.query(
        `WITH claimed AS (
           INSERT INTO idempotency_keys (scope, key, request_id, body_sha256) VALUES ($10, $11, $1, $12)
           ON CONFLICT (scope, key) DO NOTHING RETURNING request_id)
         ${insert} SELECT ${values} FROM claimed RETURNING *`,
        [...params, key.scope, key.key, key.bodySha256])
      : await this.dataSource.query(`${insert} VALUES (${values}) RETURNING *`, params);
    return inserted;
  }

  /** Undoes insertAccepted when the workflow could not be started, unless the workflow has written since. */
  async removeUnstarted(requestId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`DELETE FROM update_requests WHERE request_id = $1 AND state_version = 0`, [requestId]);
  }

  async find(requestId: string): Promise<UpdateRequestRow | undefined> {
    const rows: UpdateRequestRow[] = await this.dataSource.query(`SELECT * FROM update_requests WHERE request_id = $1`, [requestId]);
    return rows[0];
  }

  /**
   * The caller's page of requests: a customer's own only, everyone's for operators and auditors.
   * Matches are counted up to EXACT_TOTAL_LIMIT, or to the end of the page when that lies further:
   * beyond, `total` is that bound and `totalExact` false, so a broad filter over a large read model
   * costs a bounded count instead of a scan of every match.
   */
  async list(actor: Actor, query: ListRequestsQuery): Promise<RequestListPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (actor.role === 'customer') add((p) => `customer_id = ${p}`, actor.customerId);
    else if (query.customerId) add((p) => `customer_id = ${p}`, query.customerId);
    if (query.status) add((p) => `status = ${p}`, query.status);
    if (query.software) add((p) => `software_name ILIKE ${p}`, `%${escapeLike(query.software)}%`);
    if (query.submittedFrom) add((p) => `submitted_at >= ${p}`, query.submittedFrom);
    if (query.submittedTo) add((p) => `submitted_at < ${p}`, query.submittedTo);
    if (query.waitingForMe) add((p) => `pending_roles @> ARRAY[${p}]::text[]`, actor.role);
    if (query.upcoming) {
      add((p) => `scheduled_start >= now() AND scheduled_start < now() + make_interval(days => ${p})`, UPCOMING_DAYS);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // What waits for the caller is a queue (most urgent first); other lists are newest first.
    const order = query.upcoming ? 'scheduled_start ASC, request_id' : query.waitingForMe ? QUEUE_ORDER : 'submitted_at DESC, request_id';
    const bound = Math.max(EXACT_TOTAL_LIMIT, query.page * query.pageSize);
    const [{ counted }]: Array<{ counted: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS counted FROM (SELECT 1 FROM update_requests ${filter} LIMIT $${params.length + 1}) AS matches`,
      [...params, bound + 1]);
    const offset = (query.page - 1) * query.pageSize;
    // A page past the last match is empty; not asking spares a walk of the whole order index.
    const rows: UpdateRequestRow[] = offset >= counted ? [] : await this.dataSource.query(
      `SELECT * FROM update_requests ${filter} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, offset],
    );
    return { rows, total: Math.min(counted, bound), totalExact: counted <= bound };
  }

  /** The request's audit trail, oldest first (host workflows' entries included). */
  timeline(requestId: string): Promise<AuditEventRow[]> {
    return this.dataSource.query(
      `SELECT event_key, step, action, actor, role, evidence, occurred_at FROM audit_events
       WHERE request_id = $1 ORDER BY occurred_at, id`,
      [requestId],
    );
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
