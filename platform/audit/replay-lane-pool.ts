import { ReplayLaneProcess, type LaneStart } from './replay-lane-process';
import type { HistoryText, ReplayOutcome } from './replay-session';

/** Histories a lane holds unanswered: one it replays and one waiting, so it never idles on the parent. */
const HISTORIES_PER_LANE = 2;

export interface LanePoolOptions extends LaneStart {
  /** The most lanes (child processes) that run at once (AUDIT_REPLAY_CONCURRENCY). */
  lanes: number;
  /** How long the lanes wait for the next replay once none runs (AUDIT_REPLAY_LANE_IDLE_SECONDS); 0: they stop then. */
  idleMs: number;
  /** Hears each lane's process id as it starts. */
  onLane?: (pid: number) => void;
}

/**
 * Replays histories in up to `lanes` child processes (replay-lane.ts), each with its own SDK
 * replayer on its own core; the workflow code runs on a replayer's JavaScript thread, so one
 * process replays on one core whatever the machine has. Lanes start on first use and are kept for
 * the following replays (a lane's start, ~0.6 s of CPU, is paid once, and its code is warm), until
 * no replay has run for `idleMs`, or `close`. Each history goes to the lane with the least unanswered,
 * when it has room, so a lane that finishes early takes the next one and the last histories end
 * together; a new lane starts only when the running ones are full. Replays running at once share the
 * lanes. A lane that stops before answering fails the replays whose histories it held (a replay
 * that left some out must not read as a success), and the next history starts a new lane.
 */
export class ReplayLanePool {
  private readonly lanes: ReplayLaneProcess[] = [];
  private readonly replays = new Set<LaneReplay>();
  private idleTimer?: NodeJS.Timeout;
  /** Settles when every lane told to stop has exited. */
  private stopped: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: LanePoolOptions) {}

  /** Outcomes in the input's order; the input is read only as fast as the lanes take it. */
  async replay(histories: AsyncIterable<HistoryText> | Iterable<HistoryText>): Promise<ReplayOutcome[]> {
    if (this.closed) throw new Error('the replay lanes were closed: the service is shutting down');
    clearTimeout(this.idleTimer);
    const replay = new LaneReplay(toAsyncIterator(histories), this);
    this.replays.add(replay);
    try {
      return await replay.run();
    } finally {
      this.replays.delete(replay);
      if (this.replays.size === 0 && !this.closed) this.idleAfter(this.options.idleMs);
    }
  }

  /** The process ids of the lanes running now. */
  get pids(): number[] {
    return this.lanes.map((l) => l.pid);
  }

  /** Stops every lane; a replay still running fails. Later replays are refused. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.stopAll();
  }

  /** Whether some lane could take a history now, running or to be started. */
  hasRoom(): boolean {
    return this.lanes.length < this.options.lanes || this.lanes.some((l) => l.load < HISTORIES_PER_LANE);
  }

  /** The least loaded lane, or a new one while under the bound and every running lane is full. */
  laneFor(): ReplayLaneProcess {
    const least = this.lanes.reduce<ReplayLaneProcess | undefined>((a, b) => (!a || b.load < a.load ? b : a), undefined);
    if (least && (least.load < HISTORIES_PER_LANE || this.lanes.length >= this.options.lanes)) return least;
    return this.startLane();
  }

  /** An answer (or a lane's end) made room: every running replay may hand out more. */
  roomMade(): void {
    for (const replay of this.replays) void replay.dispatch();
  }

  private startLane(): ReplayLaneProcess {
    const lane = new ReplayLaneProcess(this.options, () => {
      this.forget(lane);
      this.roomMade();
    });
    this.lanes.push(lane);
    this.options.onLane?.(lane.pid);
    return lane;
  }

  private idleAfter(ms: number): void {
    if (ms === 0) {
      void this.stopAll();
      return;
    }
    this.idleTimer = setTimeout(() => void this.stopAll(), ms);
    // Idle lanes do not keep the process alive (replay-lane-process.ts), nor does their timer.
    this.idleTimer.unref();
  }

  private async stopAll(): Promise<void> {
    this.stopped = Promise.all([this.stopped, ...this.lanes.splice(0).map((l) => l.stop())]);
    await this.stopped;
  }

  private forget(lane: ReplayLaneProcess): void {
    const i = this.lanes.indexOf(lane);
    if (i >= 0) this.lanes.splice(i, 1);
  }
}

/** One replay through the pool: reads its input while the lanes have room, keeps outcomes in order. */
class LaneReplay {
  private readonly outcomes: ReplayOutcome[] = [];
  private read = 0;
  private answered = 0;
  private inputDone = false;
  private reading = false;
  private failure?: Error;
  private settle!: { resolve: (outcomes: ReplayOutcome[]) => void; reject: (err: Error) => void };

  constructor(private readonly input: AsyncIterator<HistoryText>, private readonly pool: ReplayLanePool) {}

  run(): Promise<ReplayOutcome[]> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      void this.dispatch();
    });
  }

  /** Reads and hands out histories while a lane has room; answers call it again. */
  async dispatch(): Promise<void> {
    if (this.reading || this.failure) return;
    this.reading = true;
    try {
      while (!this.inputDone && !this.failure && this.pool.hasRoom()) {
        const next = await this.input.next();
        if (next.done) this.inputDone = true;
        else if (!this.failure) this.hand(next.value);
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.reading = false;
    }
    if (this.inputDone && !this.failure && this.answered === this.read) this.settle.resolve(this.outcomes);
  }

  private hand(history: HistoryText): void {
    const position = this.read++;
    this.pool.laneFor().replay(history).then(
      (outcome) => {
        this.outcomes[position] = outcome;
        this.answered++;
      },
      (err: Error) => this.fail(err),
    ).finally(() => this.pool.roomMade());
  }

  /** Stops reading the input and rejects: once, with the first cause. */
  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    void Promise.resolve(this.input.return?.()).catch(() => undefined).then(() => this.settle.reject(err));
  }
}

function toAsyncIterator<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  return Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (async function* () { yield* items; })();
}
