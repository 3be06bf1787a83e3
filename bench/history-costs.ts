import { temporal } from '@temporalio/proto';
import type { History, HistoryEvent } from '../platform/audit/workflow-history';

const EventType = temporal.api.enums.v1.EventType;

/** What a workflow run cost Temporal, counted from its history. */
export interface HistoryCosts {
  events: number;
  /** Scheduled, started, completed, failed and timed-out workflow-task events. */
  workflowTaskEvents: number;
  /** Workflow tasks a worker picked up (their started events). */
  workflowTasks: number;
  /** Activities scheduled through the server. */
  activities: number;
  /** Local activities (markers named `core_local_activity`). */
  localActivities: number;
  /** Temporal Cloud's billable actions, estimated from the history as `billableActions` counts them, and by kind. */
  billableActions: number;
  actionsByKind: Record<ActionKind, number>;
}

/** The kinds of billable action a history shows. */
export type ActionKind = 'starts' | 'timers' | 'upserts' | 'messages' | 'activities' | 'markerTasks';
export const ACTION_KINDS: ActionKind[] = ['starts', 'timers', 'upserts', 'messages', 'activities', 'markerTasks'];

const WORKFLOW_TASK_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

export function historyCosts(history: History): HistoryCosts {
  const events = history.events ?? [];
  const type = (e: HistoryEvent) => Number(e.eventType);
  const actionsByKind = billableActions(events);
  return {
    events: events.length,
    workflowTaskEvents: events.filter((e) => WORKFLOW_TASK_EVENTS.has(type(e))).length,
    workflowTasks: events.filter((e) => type(e) === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).length,
    activities: events.filter((e) => type(e) === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length,
    localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
    billableActions: Object.values(actionsByKind).reduce((a, b) => a + b, 0),
    actionsByKind,
  };
}

/** The sum over several runs (a request and its hosts). */
export function totalCosts(all: HistoryCosts[]): HistoryCosts {
  const sum = <K extends string>(pick: (c: HistoryCosts) => Record<K, number>, keys: K[]) =>
    Object.fromEntries(keys.map((k) => [k, all.reduce((n, c) => n + pick(c)[k], 0)])) as Record<K, number>;
  return {
    ...sum((c) => c, ['events', 'workflowTaskEvents', 'workflowTasks', 'activities', 'localActivities', 'billableActions']),
    actionsByKind: sum((c) => c.actionsByKind, ACTION_KINDS),
  };
}

/**
 * Temporal Cloud's actions (docs.temporal.io/cloud/actions) that a history shows, by kind:
 * - starts: a workflow started by a client or continue-as-new counts one; a child counts in its
 *   parent as two (starting it and its execution), so a child's own start event counts nothing;
 * - timers: each timer started, including the implicit timer of `condition` with a timeout;
 * - upserts: each search-attribute upsert, except one that sets only `TemporalChangeVersion` (patches);
 * - messages: each signal received, Update accepted and workflow-execution options update;
 * - activities: each attempt (scheduled counts one, each retry one more: the started event's attempt);
 * - markerTasks: each workflow task that recorded markers, whose local activities, patches and side
 *   effects together count one ("all RecordMarkers from each Workflow Task as one action").
 * Not in a history, so not counted: queries (the console's and the API's reads of state), rejected
 * Updates, activity heartbeats, workflow-task heartbeats of long local activities, schedules.
 */
export function billableActions(events: HistoryEvent[]): Record<ActionKind, number> {
  const actions: Record<ActionKind, number> = { starts: 0, timers: 0, upserts: 0, messages: 0, activities: 0, markerTasks: 0 };
  let markersInTask = false;
  for (const e of events) {
    switch (Number(e.eventType)) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        if (!e.workflowExecutionStartedEventAttributes?.parentWorkflowExecution) actions.starts += 1;
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        actions.starts += 2;
        break;
      case EventType.EVENT_TYPE_TIMER_STARTED:
        actions.timers += 1;
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        if (fields.some((name) => name !== 'TemporalChangeVersion')) actions.upserts += 1;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
        actions.messages += 1;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        actions.activities += 1;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        actions.activities += Math.max((e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1, 0);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        markersInTask = false;
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED:
        if (!markersInTask) actions.markerTasks += 1;
        markersInTask = true;
        break;
    }
  }
  return actions;
}
