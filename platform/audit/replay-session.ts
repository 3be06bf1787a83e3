import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { parseHistoryJson } from './workflow-history';

/** One history to replay: its workflow id (histories carry none) and its proto3-JSON text. */
export interface HistoryText {
  workflowId: string;
  json: string;
}

/** A history's verdict without where it came from, which only the caller knows. */
export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  deterministic: boolean;
  divergence?: string;
}

/**
 * Replays histories one at a time through one SDK replay worker, kept open between them: building
 * a replay worker loads the whole workflow bundle, which costs more than replaying a history. A
 * text that is not a history is answered without reaching the SDK, and a history the SDK's
 * replayer stops on (rather than naming a divergence) is answered with why; a new replay worker
 * then takes the next one, so neither sinks the others.
 */
export class ReplaySession {
  private results?: AsyncIterableIterator<ReplayResult>;
  /** The history the SDK's replayer takes when it next asks for one. */
  private pending?: HistoryAndWorkflowId;

  constructor(private readonly options: { workflowBundlePath: string; dataConverter: DataConverter }) {}

  async replay({ workflowId, json }: HistoryText): Promise<ReplayOutcome> {
    try {
      this.pending = { workflowId, history: parseHistoryJson(json) };
    } catch (err) {
      return { workflowId, runId: '', deterministic: false, divergence: `not replayed: ${(err as Error).message}` };
    }
    this.results ??= this.open();
    try {
      const next = await this.results.next();
      if (next.done) throw new Error('the replay worker stopped before answering');
      const { runId, error } = next.value;
      return { workflowId, runId, deterministic: !error, ...(error ? { divergence: error.message } : {}) };
    } catch (err) {
      this.results = undefined;
      return { workflowId, runId: '', deterministic: false, divergence: `replay failed: ${(err as Error).message}` };
    } finally {
      this.pending = undefined;
    }
  }

  /** Shuts the replay worker down (it is asked for no further history). */
  async close(): Promise<void> {
    await this.results?.return?.();
    this.results = undefined;
  }

  private open(): AsyncIterableIterator<ReplayResult> {
    // The SDK asks for the next history only when it is asked for the next result, so this feed
    // hands it the one `replay` set; with none set the replay worker finishes.
    const feed: AsyncIterable<HistoryAndWorkflowId> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => (this.pending ? { value: this.pending, done: false } : { value: undefined, done: true }),
      }),
    };
    const { workflowBundlePath, dataConverter } = this.options;
    return Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundlePath }, dataConverter, replayName: 'audit-replay' }, feed);
  }
}
