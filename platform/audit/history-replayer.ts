import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { InvalidHistoryError, originalRunId, parseHistoryJson, type WorkflowHistory } from './workflow-history';

/** Per workflow: replayed without divergence, or the divergence the SDK named. */
export interface ReplayVerdict {
  workflowId: string;
  runId: string;
  /** The file it was read from, or `archive` / `temporal`. */
  origin: string;
  deterministic: boolean;
  divergence?: string;
}

export interface ReplayOptions {
  /** The bundled workflow code to check against (worker/workflow-bundle.ts). */
  workflowBundlePath: string;
  dataConverter: DataConverter;
}

/**
 * Replays histories against the given workflow code with the SDK's replayer, which feeds each
 * history to the code and fails on the first command that differs from the recorded one.
 */
export async function replayHistories(
  histories: AsyncIterable<WorkflowHistory & { origin?: string }> | Iterable<WorkflowHistory & { origin?: string }>,
  { workflowBundlePath, dataConverter }: ReplayOptions,
): Promise<ReplayVerdict[]> {
  const origins = new Map<string, string>();
  async function* feed() {
    for await (const h of histories) {
      origins.set(h.workflowId, h.origin ?? h.source);
      yield { workflowId: h.workflowId, history: parseHistoryJson(h.json) };
    }
  }
  const verdicts: ReplayVerdict[] = [];
  const results = Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundlePath }, dataConverter, replayName: 'audit-replay' }, feed());
  for await (const result of results) {
    verdicts.push({
      workflowId: result.workflowId,
      runId: result.runId,
      origin: origins.get(result.workflowId) ?? '',
      deterministic: !result.error,
      ...(result.error ? { divergence: result.error.message } : {}),
    });
  }
  return verdicts;
}

/**
 * Reads one history file, or every `.json` file in a folder (sorted, not recursive). The workflow
 * id is the file's name without `.json`, as the recorder and the export command write them.
 */
export async function readHistoryFiles(fileOrFolder: string): Promise<Array<WorkflowHistory & { origin: string }>> {
  const files = (await stat(fileOrFolder)).isDirectory()
    ? (await readdir(fileOrFolder)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(fileOrFolder, f))
    : [fileOrFolder];
  return Promise.all(files.map(async (file) => {
    const json = await readFile(file, 'utf8');
    let history;
    try {
      history = parseHistoryJson(json);
    } catch (err) {
      throw new InvalidHistoryError(`${file}: ${(err as Error).message}`);
    }
    return { workflowId: workflowIdOfFile(file), runId: originalRunId(history), source: 'file' as const, json, origin: file };
  }));
}

/** Workflow ids contain `/` (host workflows); files name them with `~` instead. */
export function historyFileName(workflowId: string): string {
  return `${workflowId.replaceAll('/', '~')}.json`;
}

function workflowIdOfFile(file: string): string {
  return path.basename(file, '.json').replaceAll('~', '/');
}
