import type { DataSource, EntityManager } from 'typeorm';
import type { AuditAppend, ReadModelSync } from '../workflows/activity-contract';
import type { TimelineEntry } from '../workflows/update-request.contract';

export interface ReadModelDependencies {
  dataSource: DataSource;
}

export function createReadModelActivities({ dataSource }: ReadModelDependencies) {
  return {
    /**
     * Projects the workflow's state into `update_requests` and appends its new timeline entries to
     * `audit_events`, in one transaction. Both writes are idempotent: the row only moves forward in
     * state version, and an entry whose key is already stored is skipped (a host's entries arrive
     * twice: as they happen, and again when the request adopts the host's timeline).
     */
    async syncReadModel({ workflowId, state, newEntries }: ReadModelSync): Promise<void> {
      await dataSource.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category,
             status, outcome, current_step, scheduled_start, scheduled_end, next_deadline, pending_roles, submitted_at,
             updated_at, state_version, priority)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $15, $8, $9, $10, $11, $12, $13, now(), $14, $16)
           ON CONFLICT (request_id) DO UPDATE SET
             workflow_id = EXCLUDED.workflow_id, customer_id = EXCLUDED.customer_id,
             software_name = EXCLUDED.software_name, target_version = EXCLUDED.target_version,
             category = EXCLUDED.category, status = EXCLUDED.status, outcome = EXCLUDED.outcome, current_step = EXCLUDED.current_step,
             scheduled_start = EXCLUDED.scheduled_start, scheduled_end = EXCLUDED.scheduled_end,
             next_deadline = EXCLUDED.next_deadline, pending_roles = EXCLUDED.pending_roles,
             submitted_at = EXCLUDED.submitted_at, updated_at = EXCLUDED.updated_at,
             state_version = EXCLUDED.state_version, priority = EXCLUDED.priority
           WHERE update_requests.state_version < EXCLUDED.state_version`,
          // The API inserts the row at version 0 when it accepts a request (with the submitted request in
          // `request`, which this upsert leaves alone); the workflow's first write is version 1 or later.
          [state.requestId, workflowId, state.customerId, state.softwareName, state.targetVersion, state.category,
            state.status, state.currentStep, state.scheduledStart ?? null, state.scheduledEnd ?? null,
            state.nextDeadline ?? null, state.pendingRoles, state.submittedAt, state.version, state.outcome ?? null, state.priority],
        );
        await appendAuditEvents(tx, state.requestId, newEntries);
      });
    },

    /** Appends a host workflow's new timeline entries to `audit_events` as they happen; idempotent like the above. */
    async appendAuditEntries({ requestId, entries }: AuditAppend): Promise<void> {
      await appendAuditEvents(dataSource.manager, requestId, entries);
    },
  };
}

/** Appends entries in timeline order; an entry whose key is already stored is skipped. */
async function appendAuditEvents(db: EntityManager, requestId: string, entries: TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO audit_events (event_key, request_id, step, action, actor, role, evidence, occurred_at)
     SELECT e.key, $1, e.step, e.action, e.actor, e.role, e.evidence, e.at
     FROM ROWS FROM (jsonb_to_recordset($2::jsonb)
       AS (key text, step text, action text, actor text, role text, evidence jsonb, at timestamptz))
       WITH ORDINALITY AS e(key, step, action, actor, role, evidence, at, n)
     ORDER BY e.n
     ON CONFLICT (event_key) DO NOTHING`,
    [requestId, JSON.stringify(entries.map(auditRecord))],
  );
}

/** An entry as `audit_events` stores it: the table has no target column, so the host goes into the evidence. */
export function auditRecord(entry: TimelineEntry) {
  const { target, ...rest } = entry;
  return { ...rest, evidence: target === undefined ? entry.evidence : { target, ...entry.evidence } };
}
