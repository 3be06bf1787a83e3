import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { billableActions, historyCosts } from '../../bench/history-costs';
import { readHistoryFiles } from '../../platform/audit/history-replayer';
import { parseHistoryJson, type HistoryEvent } from '../../platform/audit/workflow-history';
import { RECORDED_HISTORIES_DIR } from '../histories/lifecycles';

const T = temporal.api.enums.v1.EventType;
const event = (eventType: number, attributes: Partial<HistoryEvent> = {}): HistoryEvent => ({ eventType, ...attributes });
const upsert = (...names: string[]) => event(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
  upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: Object.fromEntries(names.map((n) => [n, {}])) } },
});
const marker = (markerName: string) => event(T.EVENT_TYPE_MARKER_RECORDED, { markerRecordedEventAttributes: { markerName } });
const taskCompleted = event(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);

describe('billable actions counted from a history (Temporal Cloud)', () => {
  it('counts a child in its parent as two and not again at its own start', () => {
    assert.equal(billableActions([
      event(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, { workflowExecutionStartedEventAttributes: {} }),
      event(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
    ]).starts, 3);
    assert.equal(billableActions([
      event(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, { workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: 'parent' } } }),
    ]).starts, 0);
  });

  it('counts the markers of one workflow task as one action, and upserts of patch versions not at all', () => {
    assert.deepEqual(billableActions([
      marker('core_local_activity'), marker('core_local_activity'), marker('core_patch'), upsert('TemporalChangeVersion'),
      taskCompleted,
      marker('core_local_activity'), upsert('UpdateStatus'),
    ]), { starts: 0, timers: 0, upserts: 1, messages: 0, activities: 0, markerTasks: 2 });
  });

  it('counts every attempt of an activity, timers, Updates and signals', () => {
    assert.deepEqual(billableActions([
      event(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
      event(T.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { attempt: 3 } }),
      event(T.EVENT_TYPE_TIMER_STARTED),
      event(T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
      event(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
      event(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED), event(T.EVENT_TYPE_TIMER_FIRED), event(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
    ]), { starts: 0, timers: 1, upserts: 0, messages: 2, activities: 3, markerTasks: 0 });
  });

  it('counts a recorded cancelled request as the issue measured it: 45 events, 21 of them workflow-task events', async () => {
    const [history] = await readHistoryFiles(path.join(RECORDED_HISTORIES_DIR, 'cancel.2026-11-23-1440'));
    const costs = historyCosts(parseHistoryJson(history.json));
    assert.deepEqual(
      { events: costs.events, workflowTaskEvents: costs.workflowTaskEvents, workflowTasks: costs.workflowTasks },
      { events: 45, workflowTaskEvents: 21, workflowTasks: 7 },
    );
    assert.equal(costs.billableActions, Object.values(costs.actionsByKind).reduce((a, b) => a + b, 0));
  });
});
