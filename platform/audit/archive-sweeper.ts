import { ServiceError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { FINAL_STATUSES } from '../../workflows/update-request.contract';
import { managedUpdateWorkflow } from '../../workflows';
import { repeatEvery } from '../periodic-task';
import type { HistoryArchive } from './history-archive';
import { childWorkflowIds, closeEvent, eventTime, historyJson, originalRunId, type History } from './workflow-history';

export interface SweepResult {
  /** Workflow ids archived by this sweep (hosts before their request). */
  archived: string[];
  /** Candidates still running (their final step is under way), left for a later sweep. */
  open: number;
}

/**
 * Archives every closed request with its host workflows. Why a sweep rather than a last activity
 * in the workflow: a history is complete only once the run has closed, which no activity of that
 * run can see; a sweep also catches runs that were terminated and needs no change to the workflow.
 *
 * Its cost grows with the requests that closed since they were archived, never with the open ones:
 * candidates are the read model's rows with a final status (the workflow publishes it as its last
 * step) and, where the server has visibility, the closed runs it lists (which adds runs terminated
 * by hand, whose row never turned final). The time-skipping test server has no visibility queries;
 * there the read model alone answers. The sweep must run more often than Temporal's retention period.
 */
export async function archiveClosedRequests(client: Client, dataSource: DataSource, archive: HistoryArchive): Promise<SweepResult> {
  const candidates = await unarchivedClosed(dataSource, await closedInVisibility(client));
  const result: SweepResult = { archived: [], open: 0 };
  for (const workflowId of candidates) {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.status.name === 'RUNNING') {
      result.open += 1;
      continue;
    }
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    // Hosts first: the request's own entry is written last, so a sweep cut short is simply resumed.
    for (const childId of childWorkflowIds(history)) {
      if (await archiveRun(archive, childId, await client.workflow.getHandle(childId).fetchHistory())) result.archived.push(childId);
    }
    if (await archiveRun(archive, workflowId, history)) result.archived.push(workflowId);
  }
  return result;
}

/** Closed request runs the server still holds; none where the server offers no visibility. */
async function closedInVisibility(client: Client): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const run of client.workflow.list({ query: `WorkflowType = '${managedUpdateWorkflow.name}' AND ExecutionStatus != 'Running'` })) {
      ids.push(run.workflowId);
    }
  } catch (err) {
    if (!(err instanceof ServiceError) || !/unimplemented|not implemented/i.test(String(err.cause ?? err.message))) throw err;
  }
  return ids;
}

/**
 * The requests not archived yet that are final in the read model or among `closedIds` (closed in
 * Temporal's visibility), in submission order.
 */
async function unarchivedClosed(dataSource: DataSource, closedIds: string[]): Promise<string[]> {
  const rows: Array<{ workflow_id: string }> = await dataSource.query(
    `SELECT u.workflow_id FROM update_requests u
     WHERE (u.status = ANY($1) OR u.workflow_id = ANY($2))
       AND NOT EXISTS (SELECT 1 FROM archived_histories a WHERE a.workflow_id = u.workflow_id)
     ORDER BY u.submitted_at, u.workflow_id`, [FINAL_STATUSES, closedIds]);
  return rows.map((r) => r.workflow_id);
}

/** Archives one closed run; false when it is open or already archived. */
export async function archiveRun(archive: HistoryArchive, workflowId: string, history: History): Promise<boolean> {
  const closed = closeEvent(history);
  if (!closed) return false;
  const outcome = await archive.append({ workflowId, runId: originalRunId(history), closedAt: eventTime(closed), json: historyJson(history) });
  return outcome === 'archived';
}

export interface ArchiveSweeperLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * Sweeps every `intervalMs` (0: never) until stopped, one sweep at a time; a failed sweep is logged
 * and the next one tries again, since nothing is lost while Temporal still holds the histories.
 */
export function startArchiveSweeper(
  sweep: () => Promise<SweepResult>,
  intervalMs: number,
  log: ArchiveSweeperLog,
): { stop(): Promise<void> } {
  return repeatEvery(intervalMs, () => sweep().then(
    ({ archived, open }) => { if (archived.length > 0) log.info({ archived, open }, 'archived closed workflow histories'); },
    (err) => log.error({ err }, 'archive sweep failed; the next sweep retries'),
  ));
}
