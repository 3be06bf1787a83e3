import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { payloadDataConverter, type PayloadKeyRing } from '../payload-codec';
import { ReplayLanePool } from './replay-lane-pool';
import { ReplaySession, type HistoryText, type ReplayOutcome } from './replay-session';
import type { WorkflowHistory } from './workflow-history';

/** Per workflow: replayed without divergence, or the divergence the SDK named (or why it could not replay). */
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
  /** The keys that open the histories' payloads. */
  payloadKeys: PayloadKeyRing;
  /** Histories replayed at once, each in a lane of its own (AUDIT_REPLAY_CONCURRENCY); 1: in this process. */
  concurrency: number;
  /** Hears the process id of each lane started. */
  onLane?: (pid: number) => void;
}

/**
 * Replays histories against the given workflow code with the SDK's replayer, which feeds each
 * history to the code and fails on the first command that differs from the recorded one. Verdicts
 * come in the histories' order; a text that is not a history gets a verdict saying so. With a
 * concurrency above 1 the lanes are started for this replay alone and stopped after it (a service
 * keeps a ReplayLanePool instead: replayInLanes). Rejects when a lane stops before answering.
 */
export async function replayHistories(histories: HistoryInput, { workflowBundlePath, payloadKeys, concurrency, onLane }: ReplayOptions): Promise<ReplayVerdict[]> {
  if (concurrency === 1) return withOrigins(histories, (texts) => replayHere(texts, { workflowBundlePath, payloadKeys }));
  const lanes = new ReplayLanePool({ workflowBundlePath, payloadKeys, lanes: concurrency, idleMs: 0, onLane });
  try {
    return await replayInLanes(histories, lanes);
  } finally {
    await lanes.close();
  }
}

/** Replays histories in the pool's lanes, started or kept from an earlier replay; as replayHistories. */
export function replayInLanes(histories: HistoryInput, lanes: ReplayLanePool): Promise<ReplayVerdict[]> {
  return withOrigins(histories, (texts) => lanes.replay(texts));
}

type HistoryInput = AsyncIterable<WorkflowHistory & { origin?: string }> | Iterable<WorkflowHistory & { origin?: string }>;

/** Replays the texts and names each verdict's origin, which the lanes never see. */
async function withOrigins(histories: HistoryInput, replay: (texts: AsyncIterable<HistoryText>) => Promise<ReplayOutcome[]>): Promise<ReplayVerdict[]> {
  const origins: string[] = [];
  async function* texts() {
    for await (const h of histories) {
      origins.push(h.origin ?? h.source);
      yield h;
    }
  }
  const outcomes = await replay(texts());
  return outcomes.map(({ workflowId, runId, deterministic, divergence }, i) =>
    ({ workflowId, runId, origin: origins[i], deterministic, ...(divergence === undefined ? {} : { divergence }) }));
}

/** One after another in this process (its event loop waits while each history replays). */
async function replayHere(histories: AsyncIterable<HistoryText>, options: { workflowBundlePath: string; payloadKeys: PayloadKeyRing }): Promise<ReplayOutcome[]> {
  const session = new ReplaySession({ workflowBundlePath: options.workflowBundlePath, dataConverter: payloadDataConverter(options.payloadKeys) });
  const outcomes: ReplayOutcome[] = [];
  try {
    for await (const history of histories) outcomes.push(await session.replay(history));
  } finally {
    await session.close();
  }
  return outcomes;
}

/**
 * Reads one history file, or every `.json` file in a folder (sorted, not recursive). The workflow
 * id is the file's name without `.json`, as the recorder and the export command write them. The
 * texts are not parsed here: the replay does that, in its lanes, and gives a text that is not a
 * history its own verdict (with the run id, which only the parsed history names).
 */
export async function readHistoryFiles(fileOrFolder: string): Promise<Array<WorkflowHistory & { origin: string }>> {
  const files = (await stat(fileOrFolder)).isDirectory()
    ? (await readdir(fileOrFolder)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(fileOrFolder, f))
    : [fileOrFolder];
  return Promise.all(files.map(async (file) =>
    ({ workflowId: workflowIdOfFile(file), runId: '', source: 'file' as const, json: await readFile(file, 'utf8'), origin: file })));
}

/** Workflow ids contain `/` (host workflows); files name them with `~` instead. */
export function historyFileName(workflowId: string): string {
  return `${workflowId.replaceAll('/', '~')}.json`;
}

function workflowIdOfFile(file: string): string {
  return path.basename(file, '.json').replaceAll('~', '/');
}
