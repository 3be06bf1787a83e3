import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { eventTime, type HistoryEvent } from '../platform/audit/workflow-history';
import { quantile } from './quantile';

const EventType = temporal.api.enums.v1.EventType;

/** Where one Update's time went inside Temporal and the worker, read from the workflow's history (ms). */
export interface UpdateStages {
  /** From the task that accepted the Update being scheduled to the task that answered it completing. */
  inTemporal: number;
  /** The worker holding the answering task: workflow code and the local activities it ran meanwhile. */
  answeringTask: number;
  /** Between accepting and answering tasks: an activity the handler awaited, through the server. */
  awaitedActivity: number;
  /** Local activities (markers) in the answering task. */
  localActivities: number;
}

/** The median of each stage over the first `update` Update of every workflow in `workflowIds`. */
export async function medianStages(client: Client, workflowIds: string[], update: string): Promise<UpdateStages> {
  const all = await Promise.all(workflowIds.map(async (id) => stagesOf((await client.workflow.getHandle(id).fetchHistory()).events ?? [], update)));
  const median = (pick: (s: UpdateStages) => number) => quantile(all.map(pick).sort((a, b) => a - b), 0.5);
  return {
    inTemporal: median((s) => s.inTemporal),
    answeringTask: median((s) => s.answeringTask),
    awaitedActivity: median((s) => s.awaitedActivity),
    localActivities: median((s) => s.localActivities),
  };
}

function stagesOf(events: HistoryEvent[], update: string): UpdateStages {
  const type = (e: HistoryEvent) => Number(e.eventType);
  const at = (e: HistoryEvent) => eventTime(e).getTime();
  const accepted = events.findIndex((e) => type(e) === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    && e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === update);
  if (accepted < 0) throw new Error(`no ${update} Update in the history`);
  const updateId = events[accepted].workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId;
  const answered = events.findIndex((e) => type(e) === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED
    && e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === updateId);
  const lastBefore = (index: number, wanted: number) => events.slice(0, index).filter((e) => type(e) === wanted).at(-1)!;
  const acceptedScheduled = lastBefore(accepted, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  const acceptedCompleted = lastBefore(accepted, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  const answeredStarted = lastBefore(answered, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const answeredCompleted = lastBefore(answered, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  const answeredScheduled = lastBefore(answered, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  const sameTask = answeredCompleted === acceptedCompleted;
  const commands = events.slice(events.indexOf(answeredCompleted) + 1);
  const nextTask = commands.findIndex((e) => type(e) === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  const markers = commands.slice(0, nextTask < 0 ? undefined : nextTask)
    .filter((e) => type(e) === EventType.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  return {
    inTemporal: at(answeredCompleted) - at(acceptedScheduled),
    answeringTask: at(answeredCompleted) - at(answeredStarted),
    awaitedActivity: sameTask ? 0 : at(answeredScheduled) - at(acceptedCompleted),
    localActivities: markers.length,
  };
}
