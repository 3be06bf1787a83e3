/**
 * What one request costs Temporal over its whole life, counted from its histories (the request's
 * and its hosts'): events, workflow-task events, workflow tasks, activities, local activities and
 * Temporal Cloud's billable actions (history-costs.ts says which events count). Runs the happy path
 * (every step, sign-off, snapshots deleted once retention has passed) and a cancelled request with
 * the current workflow code on the time-skipping test server, driven as the recorded lifecycles
 * are (test/histories/lifecycles.ts), and counts the recordings kept in test/histories beside them
 * as the figures before.
 */
import path from 'node:path';
import { HistoryArchive } from '../platform/audit/history-archive';
import { readHistoryFiles } from '../platform/audit/history-replayer';
import { HistoryStore } from '../platform/audit/history-store';
import { parseHistoryJson, type WorkflowHistory } from '../platform/audit/workflow-history';
import { LIFECYCLE_HARNESS, LIFECYCLES, RECORDED_HISTORIES_DIR } from '../test/histories/lifecycles';
import { UpdateHarness } from '../test/support/update-harness';
import { quietTemporalRuntime } from '../test/support/temporal';
import { ACTION_KINDS, historyCosts, totalCosts, type HistoryCosts } from './history-costs';
import type { Figures } from './results';

/** The lifecycles measured, and the recordings of each kept from earlier code (README, Changing the workflow, names their commits). */
const MEASURED: Array<{ lifecycle: string; recorded: string[] }> = [
  { lifecycle: 'happy-path', recorded: ['happy-path.2026-11-23-1415', 'happy-path.2026-11-23-1440', 'happy-path.2026-11-23-1840', 'happy-path'] },
  { lifecycle: 'cancel', recorded: ['cancel.2026-11-23-1415', 'cancel.2026-11-23-1440', 'cancel.2026-11-23-1840', 'cancel'] },
];

export async function lifecycleBench(): Promise<Figures> {
  quietTemporalRuntime();
  const rows: Array<{ name: string; histories: number; costs: HistoryCosts }> = [];
  for (const { lifecycle, recorded } of MEASURED) {
    for (const folder of recorded) {
      rows.push(costsOf(`recorded ${folder}`, await readHistoryFiles(path.join(RECORDED_HISTORIES_DIR, folder))));
    }
    rows.push(costsOf(`now: ${lifecycle}`, await runLifecycle(lifecycle)));
  }

  const columns: Array<[string, (c: HistoryCosts) => number]> = [
    ['events', (c) => c.events], ['wf-task events', (c) => c.workflowTaskEvents], ['wf tasks', (c) => c.workflowTasks],
    ['activities', (c) => c.activities], ['local act.', (c) => c.localActivities], ['actions', (c) => c.billableActions],
    ...ACTION_KINDS.map((kind): [string, (c: HistoryCosts) => number] => [`· ${kind}`, (c) => c.actionsByKind[kind]]),
  ];
  console.log('per lifecycle: the request and its hosts (hist.: histories counted); billable actions by kind after "actions"');
  console.log('lifecycle'.padEnd(38), 'hist.'.padStart(5), ...columns.map(([title]) => title.padStart(title.length + 2)));
  for (const { name, histories, costs } of rows) {
    console.log(name.padEnd(38), String(histories).padStart(5), ...columns.map(([title, pick]) => String(pick(costs)).padStart(title.length + 2)));
  }
  return Object.fromEntries(rows.flatMap(({ name, costs }) => columns.map(([title, pick]) => [`${name}: ${title.replace('· ', 'actions, ')}`, pick(costs)])));
}

/** Runs one lifecycle with the current code, on its own harness as the recorder does; answers its histories. */
async function runLifecycle(lifecycle: string): Promise<WorkflowHistory[]> {
  const h = await UpdateHarness.start(LIFECYCLE_HARNESS[lifecycle] ?? {});
  try {
    const requestId = await LIFECYCLES[lifecycle](h);
    return await new HistoryStore(h.env.client, new HistoryArchive(h.db.dataSource)).loadRequest(requestId);
  } finally {
    await h.stop();
  }
}

function costsOf(name: string, histories: WorkflowHistory[]): { name: string; histories: number; costs: HistoryCosts } {
  return { name, histories: histories.length, costs: totalCosts(histories.map((h) => historyCosts(parseHistoryJson(h.json)))) };
}
