import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { repeatEvery } from '../periodic-task';
import type { HistoryArchive } from './history-archive';
import { childWorkflowIds, closeEvent, eventTime, historyJson, originalRunId, type History } from './workflow-history';

export interface SweepResult {
  /** Workflow ids archived by this sweep (hosts before their request). */
  archived: string[];
  /** Requests still running, left for a later sweep. */
  open: number;
}

/**
 * Archives every closed request with its host workflows. Why a sweep rather than a last activity
 * in the workflow: a history is complete only once the run has closed, which no activity of that
 * run can see; a sweep also catches runs that were terminated and needs no change to the workflow.
 * Candidates come from the read model (every request has a row, and the time-skipping test server
 * offers no visibility queries); the sweep must run more often than Temporal's retention period.
 */
export async function archiveClosedRequests(client: Client, dataSource: DataSource, archive: HistoryArchive): Promise<SweepResult> {
  const candidates: Array<{ workflow_id: string }> = await dataSource.query(
    `SELECT u.workflow_id FROM update_requests u
     WHERE NOT EXISTS (SELECT 1 FROM archived_histories a WHERE a.workflow_id = u.workflow_id)
     ORDER BY u.submitted_at, u.workflow_id`,
  );
  const result: SweepResult = { archived: [], open: 0 };
  for (const { workflow_id: workflowId } of candidates) {
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
