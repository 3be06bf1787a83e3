import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { PayloadKeyRing } from '../payload-codec';
import type { HistoryText, ReplayOutcome } from './replay-session';

/**
 * Histories handed to a lane at once: few enough that a small replay still spreads over the lanes,
 * enough that a message costs little per history.
 */
export const REPLAY_BATCH_SIZE = 8;
/** Batches a lane holds unanswered: one it replays and one waiting, so it never idles on the parent. */
const BATCHES_PER_LANE = 2;
/** The compiled lane (`npm run build` emits it beside this module). */
const LANE_SCRIPT = path.join(__dirname, 'replay-lane.js');

/** Parent to lane: `start` once, then batches; the parent disconnects when it wants no more. */
export type LaneRequest =
  | { kind: 'start'; workflowBundlePath: string; payloadKeys: { activeKeyId: string; keys: Array<[string, string]> } }
  | { kind: 'batch'; batch: number; histories: HistoryText[] };

/** Lane to parent: one batch's outcomes, in the batch's order. */
export interface LaneAnswer {
  kind: 'outcomes';
  batch: number;
  outcomes: ReplayOutcome[];
}

export interface LaneOptions {
  workflowBundlePath: string;
  payloadKeys: PayloadKeyRing;
  /** The most lanes (child processes) that run at once. */
  lanes: number;
  /** Hears each lane's process id as it starts. */
  onLane?: (pid: number) => void;
}

interface Lane {
  child: ChildProcess;
  /** Batch number to the input position of its first history. */
  unanswered: Map<number, number>;
  exited: Promise<unknown>;
}

/**
 * Replays histories in up to `lanes` child processes (replay-lane.ts), each with its own SDK
 * replayer on its own core; the workflow code runs on a replayer's JavaScript thread, so one
 * process replays on one core whatever the machine has. Lanes start as batches need them and are
 * handed more as they answer, so the input is read only as fast as it is replayed. Outcomes come
 * back in the input's order. A lane that stops before it was told to fails the whole replay: its
 * histories have no verdict, and a replay that leaves some out must not read as a success.
 */
export function replayInLanes(histories: AsyncIterable<HistoryText> | Iterable<HistoryText>, options: LaneOptions): Promise<ReplayOutcome[]> {
  return new LaneReplay(toAsyncIterator(histories), options).run();
}

class LaneReplay {
  private readonly lanes: Lane[] = [];
  private readonly outcomes: ReplayOutcome[] = [];
  private read = 0;
  private batches = 0;
  private inputDone = false;
  private reading = false;
  private finishing = false;
  private failure?: Error;
  private settle!: { resolve: (outcomes: ReplayOutcome[]) => void; reject: (err: Error) => void };

  constructor(private readonly input: AsyncIterator<HistoryText>, private readonly options: LaneOptions) {}

  run(): Promise<ReplayOutcome[]> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      void this.dispatch();
    });
  }

  /** Reads and hands out batches while a lane has room; answers call it again. */
  private async dispatch(): Promise<void> {
    if (this.reading || this.failure || this.finishing) return;
    this.reading = true;
    try {
      while (!this.inputDone && !this.failure && this.hasRoom()) {
        const histories = await this.readBatch();
        if (histories.length > 0 && !this.failure) this.send(this.laneFor(), histories);
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.reading = false;
    }
    if (this.inputDone && !this.failure && this.lanes.every((l) => l.unanswered.size === 0)) void this.finish();
  }

  private hasRoom(): boolean {
    return this.lanes.length < this.options.lanes || this.lanes.some((l) => l.unanswered.size < BATCHES_PER_LANE);
  }

  private async readBatch(): Promise<HistoryText[]> {
    const batch: HistoryText[] = [];
    while (batch.length < REPLAY_BATCH_SIZE) {
      const next = await this.input.next();
      if (next.done) {
        this.inputDone = true;
        break;
      }
      // Only what a lane needs travels: not the caller's other fields.
      batch.push({ workflowId: next.value.workflowId, json: next.value.json });
    }
    return batch;
  }

  /** An idle lane, else a new one while under the bound, else the least loaded. */
  private laneFor(): Lane {
    const idle = this.lanes.find((l) => l.unanswered.size === 0);
    if (idle) return idle;
    if (this.lanes.length < this.options.lanes) return this.startLane();
    return this.lanes.reduce((a, b) => (b.unanswered.size < a.unanswered.size ? b : a));
  }

  private send(lane: Lane, histories: HistoryText[]): void {
    const batch = this.batches++;
    lane.unanswered.set(batch, this.read);
    this.read += histories.length;
    const request: LaneRequest = { kind: 'batch', batch, histories };
    lane.child.send(request, (err) => { if (err) this.fail(new Error(`replay lane ${lane.child.pid} could not be handed histories: ${err.message}`)); });
  }

  private startLane(): Lane {
    const child = fork(LANE_SCRIPT, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const lane: Lane = { child, unanswered: new Map(), exited: once(child, 'exit').catch(() => undefined) };
    this.lanes.push(lane);
    child.on('message', (answer: LaneAnswer) => this.answered(lane, answer));
    child.on('error', (err) => this.fail(new Error(`replay lane could not run: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (this.finishing) return;
      const pending = lane.unanswered.size;
      this.fail(new Error(`replay lane ${child.pid} stopped (${signal ? `signal ${signal}` : `exit code ${code}`}) ` +
        `with ${pending} batch${pending === 1 ? '' : 'es'} of histories unanswered; the replay is incomplete`));
    });
    const { activeKeyId, keys } = this.options.payloadKeys;
    const start: LaneRequest = {
      kind: 'start',
      workflowBundlePath: this.options.workflowBundlePath,
      // Over the IPC channel, never in arguments or the environment, where other users could read them.
      payloadKeys: { activeKeyId, keys: [...keys].map(([id, key]) => [id, key.toString('base64')]) },
    };
    child.send(start);
    if (child.pid !== undefined) this.options.onLane?.(child.pid);
    return lane;
  }

  private answered(lane: Lane, { batch, outcomes }: LaneAnswer): void {
    const first = lane.unanswered.get(batch);
    if (first === undefined) return;
    lane.unanswered.delete(batch);
    outcomes.forEach((outcome, i) => { this.outcomes[first + i] = outcome; });
    void this.dispatch();
  }

  private async finish(): Promise<void> {
    this.finishing = true;
    for (const lane of this.lanes) if (lane.child.connected) lane.child.disconnect();
    await Promise.all(this.lanes.map((l) => l.exited));
    this.settle.resolve(this.outcomes);
  }

  /** Stops every lane and the input, then rejects: once, with the first cause. */
  private fail(err: Error): void {
    if (this.failure || this.finishing) return;
    this.failure = err;
    for (const lane of this.lanes) if (lane.child.exitCode === null && lane.child.signalCode === null) lane.child.kill('SIGKILL');
    void Promise.all([...this.lanes.map((l) => l.exited), this.input.return?.().catch(() => undefined)])
      .then(() => this.settle.reject(err));
  }
}

function toAsyncIterator<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  return Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (async function* () { yield* items; })();
}
