import { isDeepStrictEqual } from 'node:util';
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { DataSource } from 'typeorm';
import { auditRecord } from '../../activities/read-model.activities';
import type { Actor, TimelineEntry, UpdateRequestResult } from '../../workflows/update-request.contract';
import { isArchived } from './history-archive';
import { decodePayload } from './history-payloads';
import { eventTime, parseHistoryJson, type History, type HistoryEvent, type WorkflowHistory } from './workflow-history';

const EventType = temporal.api.enums.v1.EventType;

/** One step of the report: the timeline entry and the Temporal events it came from. */
export interface ReportStep extends TimelineEntry {
  temporal: {
    workflowId: string;
    /** The workflow task that recorded the step (its WorkflowTaskStarted event). */
    workflowTaskEventId: number | null;
    /** What caused it: the accepted Update of a person, or the timer, activity or child result the workflow reacted to. */
    eventIds: number[];
  };
}

/** A point where the history's timeline and the `audit_events` table disagree. */
export interface AuditDifference {
  key: string;
  problem: 'missing-from-table' | 'not-in-history' | 'differs';
  field?: string;
  history?: unknown;
  table?: unknown;
}

export interface AuditReport {
  requestId: string;
  outcome: string;
  finishedAt: string;
  generatedAt: string;
  /** The histories read; an archived one names its place in the digest chain. */
  histories: Array<{ workflowId: string; runId: string; source: string; events: number; archive?: { seq: number; digest: string } }>;
  steps: ReportStep[];
  /** Empty when the audit table agrees with the history in every entry and field. */
  differences: AuditDifference[];
}

/** The request exists but its history holds no final timeline: still open, terminated, or older code (an API maps it to 409). */
export class ReportUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ReportUnavailableError';
  }
}

/**
 * Builds a request's audit report from its histories (request first, then hosts): the timeline is
 * the one the workflow put into its completion event, each step is tied to the events of the
 * workflow task that recorded it, and the whole is compared with the `audit_events` rows.
 */
export async function buildAuditReport(
  requestId: string,
  histories: WorkflowHistory[],
  dataConverter: DataConverter,
  dataSource: DataSource,
): Promise<AuditReport> {
  const parsed = new Map(histories.map((h) => [h.workflowId, parseHistoryJson(h.json)]));
  const main = parsed.get(histories[0].workflowId)!;
  const completed = main.events?.find((e) => e.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
  if (!completed) throw new ReportUnavailableError(`request ${requestId} has not completed: its history holds no final timeline yet`);
  const result = await decodePayload<UpdateRequestResult>(completed.result?.payloads?.[0], dataConverter);
  if (!result?.timeline) throw new ReportUnavailableError(`request ${requestId} completed without a timeline in its result (recorded by older code)`);

  const tasks = new Map<string, WorkflowTask[]>();
  for (const [workflowId, history] of parsed) tasks.set(workflowId, await workflowTasks(history, dataConverter));
  const cursor = new Map<string, number>();
  const steps = result.timeline.map((entry): ReportStep => {
    const workflowId = entry.key.slice(0, entry.key.lastIndexOf('#'));
    const workflowTasks = tasks.get(workflowId) ?? [];
    const index = locateTask(workflowTasks, entry, cursor.get(workflowId) ?? 0);
    if (index === undefined) return { ...entry, temporal: { workflowId, workflowTaskEventId: null, eventIds: [] } };
    cursor.set(workflowId, index);
    const task = workflowTasks[index];
    return { ...entry, temporal: { workflowId, workflowTaskEventId: task.startedEventId, eventIds: causes(workflowTasks, index, entry) } };
  });

  return {
    requestId,
    outcome: result.outcome,
    finishedAt: result.finishedAt,
    generatedAt: new Date().toISOString(),
    histories: histories.map((h) => ({
      workflowId: h.workflowId,
      runId: h.runId,
      source: h.source,
      events: parsed.get(h.workflowId)?.events?.length ?? 0,
      ...(isArchived(h) ? { archive: { seq: h.seq, digest: h.digest } } : {}),
    })),
    steps,
    differences: await compareWithAuditTable(requestId, result.timeline, dataSource),
  };
}

interface WorkflowTask {
  startedEventId: number;
  at: number;
  /** Events delivered to the task: start, timers fired, activity and child results, signals. */
  inputs: number[];
  /** Updates the task accepted, with the actor each names. */
  updates: Array<{ eventId: number; actorId?: string }>;
}

const INPUT_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  EventType.EVENT_TYPE_TIMER_FIRED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
]);

/**
 * The history's workflow tasks in order. Workflow code sees the time of the task it runs in, so a
 * timeline entry's time names its task; the events since the previous task are what it reacted to,
 * and Updates accepted right after it completed are the ones its handlers ran for.
 */
async function workflowTasks(history: History, dataConverter: DataConverter): Promise<WorkflowTask[]> {
  const tasks: WorkflowTask[] = [];
  let pending: number[] = [];
  for (const event of history.events ?? []) {
    const id = Number(event.eventId);
    const type = Number(event.eventType);
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      tasks.push({ startedEventId: id, at: eventTime(event).getTime(), inputs: pending, updates: [] });
      pending = [];
    } else if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && tasks.length > 0) {
      tasks[tasks.length - 1].updates.push({ eventId: id, actorId: await updateActor(event, dataConverter) });
    } else if (INPUT_EVENTS.has(type)) {
      pending.push(id);
    }
  }
  return tasks;
}

async function updateActor(event: HistoryEvent, dataConverter: DataConverter): Promise<string | undefined> {
  const args = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads;
  const input = await decodePayload<{ actor?: Actor }>(args?.[0], dataConverter);
  return input?.actor?.id;
}

/**
 * The task an entry was recorded in. Workflow time is its task's start, or later within the task once
 * a local activity has resolved, so the entry belongs to the last task started at or before it; of
 * tasks that started in the same millisecond, the first, or for a person the one that accepted their Update.
 */
function locateTask(tasks: WorkflowTask[], entry: TimelineEntry, from: number): number | undefined {
  const at = Date.parse(entry.at);
  let last: number | undefined;
  for (let i = from; i < tasks.length && tasks[i].at <= at; i++) last = i;
  if (last === undefined) return undefined;
  const candidates = tasks.map((task, index) => ({ task, index })).filter(({ task, index }) => index >= from && task.at === tasks[last].at);
  const ownUpdate = candidates.find(({ task }) => task.updates.some((u) => u.actorId === entry.actor));
  return (entry.role === 'system' ? candidates[0] : ownUpdate ?? candidates[0]).index;
}

/**
 * A system step came from what its task reacted to: a timer, activity or child result, or else the
 * Updates it accepted (the workflow acting on a person's step at once). A task that only continues
 * after a local activity reacted to nothing new, so the search goes back to the task it continues.
 * A person's step came from their Update: the
 * one accepted in this task, or, when the handler first awaited an activity, the latest one they
 * had accepted before; the activity result that resumed it is listed too.
 */
function causes(tasks: WorkflowTask[], index: number, entry: TimelineEntry): number[] {
  if (entry.role === 'system') {
    for (let i = index; i >= 0; i--) {
      const { inputs, updates } = tasks[i];
      if (inputs.length > 0) return inputs;
      if (updates.length > 0) return updates.map((u) => u.eventId);
    }
    return [];
  }
  for (let i = index; i >= 0; i--) {
    const update = tasks[i].updates.filter((u) => u.actorId === entry.actor).at(-1);
    if (update) return i === index ? [update.eventId] : [update.eventId, ...tasks[index].inputs];
  }
  return [];
}

interface AuditRow {
  event_key: string;
  step: string;
  action: string;
  actor: string;
  role: string;
  evidence: unknown;
  occurred_at: Date;
}

/** Every entry must be in `audit_events` with the same fields, and the table must hold nothing else. */
export async function compareWithAuditTable(requestId: string, timeline: TimelineEntry[], dataSource: DataSource): Promise<AuditDifference[]> {
  const rows: AuditRow[] = await dataSource.query(
    'SELECT event_key, step, action, actor, role, evidence, occurred_at FROM audit_events WHERE request_id = $1 ORDER BY id', [requestId]);
  const table = new Map(rows.map((r) => [r.event_key, r]));
  const differences: AuditDifference[] = [];
  for (const entry of timeline) {
    const row = table.get(entry.key);
    table.delete(entry.key);
    if (!row) {
      differences.push({ key: entry.key, problem: 'missing-from-table', history: entry });
      continue;
    }
    const expected = auditRecord(entry);
    const fields: Array<[string, unknown, unknown]> = [
      ['step', expected.step, row.step],
      ['action', expected.action, row.action],
      ['actor', expected.actor, row.actor],
      ['role', expected.role, row.role],
      ['evidence', expected.evidence, row.evidence],
      ['at', expected.at, row.occurred_at.toISOString()],
    ];
    for (const [field, history, stored] of fields) {
      if (!isDeepStrictEqual(history, stored)) differences.push({ key: entry.key, problem: 'differs', field, history, table: stored });
    }
  }
  for (const row of table.values()) differences.push({ key: row.event_key, problem: 'not-in-history', table: row });
  return differences;
}
