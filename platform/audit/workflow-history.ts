import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

export type { History };
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

/** Where an exported history came from: the Temporal server, the PostgreSQL archive, or a file. */
export type HistorySourceKind = 'temporal' | 'archive' | 'file';

/**
 * One workflow run's full event history in Temporal's proto3-JSON form: the text that
 * `temporal workflow show --output json` prints and that the SDK's replayer loads. A plain
 * `JSON.stringify` of the SDK's objects is not that form (timestamps, int64 and enum names differ),
 * so conversion goes through the SDK's own proto-utils in both directions.
 */
export interface WorkflowHistory {
  workflowId: string;
  runId: string;
  source: HistorySourceKind;
  json: string;
}

export function historyJson(history: History): string {
  return historyToJSON(history);
}

/** Text given as a history that is not one (an API maps it to 400). */
export class InvalidHistoryError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidHistoryError';
  }
}

/** Parses proto3-JSON history text; throws InvalidHistoryError for text that is not a history. */
export function parseHistoryJson(text: string): History {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidHistoryError(`not a JSON history: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as { events?: unknown }).events)) {
    throw new InvalidHistoryError('not a Temporal history: it has no "events" list');
  }
  try {
    return historyFromJSON(parsed);
  } catch (err) {
    throw new InvalidHistoryError(`not a Temporal history: ${(err as Error).message}`);
  }
}

const CLOSE_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

/** The event that closed the run, or undefined while it is still open. */
export function closeEvent(history: History): HistoryEvent | undefined {
  const last = history.events?.[history.events.length - 1];
  return last && CLOSE_EVENTS.has(Number(last.eventType)) ? last : undefined;
}

/** The run id recorded in the start event (histories carry no run id of their own). */
export function originalRunId(history: History): string {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.originalExecutionRunId ?? '';
}

/** The ids of the child workflows a run started, in the order it started them. */
export function childWorkflowIds(history: History): string[] {
  return (history.events ?? [])
    .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
    .filter((id): id is string => !!id);
}

/** An event's time as a Date (proto timestamps are seconds plus nanos). */
export function eventTime(event: HistoryEvent): Date {
  const seconds = Number(event.eventTime?.seconds ?? 0);
  const nanos = event.eventTime?.nanos ?? 0;
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6));
}
