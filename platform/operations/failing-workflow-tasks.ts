import type { Client } from '@temporalio/client';
import { ApplicationFailure, type LoadedDataConverter } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { childWorkflowIds, eventTime, type History } from '../audit/workflow-history';

const { EventType } = temporal.api.enums.v1;

/** A workflow whose latest workflow task failed and none has completed since: it makes no progress. */
export interface FailingWorkflowTask {
  workflowId: string;
  /** The request the workflow belongs to (a host workflow's is its parent's). */
  requestId: string;
  /** The decoded failure: type and message of the error and of its causes. */
  cause: string;
  failedAt: Date;
}

/**
 * Finds the workflows among `workflowIds` (and the host workflows they started) whose task is
 * failing: a bug that throws or a non-determinism makes Temporal retry the task forever while the
 * run stays "Running". The history is the one place every server shows this: each failed attempt
 * (the first one, on servers that do not record transient retries) is a WorkflowTaskFailed event
 * whose failure our failure converter has sealed; it is opened here with the payload keys.
 */
export async function findFailingWorkflowTasks(
  client: Client, converter: LoadedDataConverter, requests: Array<{ requestId: string; workflowId: string }>,
): Promise<FailingWorkflowTask[]> {
  const failing: FailingWorkflowTask[] = [];
  const visit = async (workflowId: string, requestId: string): Promise<void> => {
    const handle = client.workflow.getHandle(workflowId);
    if ((await handle.describe()).status.name !== 'RUNNING') return;
    const history = await handle.fetchHistory();
    const failure = unresolvedTaskFailure(history);
    if (failure) {
      const error = await decodeOptionalFailureToOptionalError(converter, failure.workflowTaskFailedEventAttributes?.failure);
      failing.push({ workflowId, requestId, cause: describeError(error), failedAt: eventTime(failure) });
    }
    for (const childId of childWorkflowIds(history)) await visit(childId, requestId);
  };
  for (const { workflowId, requestId } of requests) await visit(workflowId, requestId);
  return failing;
}

/** The last WorkflowTaskFailed event when no workflow task has completed after it. */
function unresolvedTaskFailure(history: History) {
  const events = history.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const type = Number(events[i].eventType);
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) return undefined;
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) return events[i];
  }
  return undefined;
}

function describeError(error: Error | undefined): string {
  if (!error) return 'unknown failure';
  const causes: string[] = [];
  for (let e: unknown = error; e instanceof Error && causes.length < 5; e = e.cause) causes.push(errorLine(e));
  return causes.join(' ← ');
}

/**
 * A workflow task failure arrives as a bare TemporalFailure whose stack is the original error's,
 * so the stack's "TypeError: …" line names the real type (source maps may put a code excerpt
 * before it); a thrown plain Error inside a Temporal failure carries its class as the
 * ApplicationFailure's type.
 */
function errorLine(error: Error): string {
  const named = error.stack?.split('\n').find((line) => /^[A-Za-z_$][\w$.]*: /.test(line) && line.endsWith(error.message));
  return named ?? `${error instanceof ApplicationFailure && error.type ? error.type : error.name}: ${error.message}`;
}
