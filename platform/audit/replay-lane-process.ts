import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { PayloadKeyRing } from '../payload-codec';
import type { HistoryText, ReplayOutcome } from './replay-session';

/** The compiled lane (`npm run build` emits it beside this module). */
const LANE_SCRIPT = path.join(__dirname, 'replay-lane.js');

/** Parent to lane: `start` once, then histories; the parent disconnects when it wants no more. */
export type LaneRequest =
  | { kind: 'start'; workflowBundlePath: string; payloadKeys: { activeKeyId: string; keys: Array<[string, string]> } }
  | { kind: 'history'; id: number; history: HistoryText };

/** Lane to parent: one history's outcome, in the order they were handed. */
export interface LaneAnswer {
  kind: 'outcome';
  id: number;
  outcome: ReplayOutcome;
}

export interface LaneStart {
  workflowBundlePath: string;
  payloadKeys: PayloadKeyRing;
}

/**
 * The parent's side of one replay lane (replay-lane.ts): a child process with its own SDK replayer,
 * kept between replays so that only the first pays its start (Node, the SDK, the workflow bundle).
 * While it holds no history it neither keeps the parent's event loop alive nor costs a core.
 */
export class ReplayLaneProcess {
  readonly pid: number;
  /** Settles once the process has exited, for whatever reason. */
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly unanswered = new Map<number, { resolve: (o: ReplayOutcome) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private stopping = false;
  private ended = false;

  /** `onExit` hears once that the lane is gone, stopped or not. */
  constructor(start: LaneStart, private readonly onExit: () => void) {
    this.child = fork(LANE_SCRIPT, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid ?? -1;
    this.exited = once(this.child, 'exit').then(() => undefined, () => undefined);
    this.child.on('message', (answer: LaneAnswer) => this.answered(answer));
    this.child.on('error', (err) => this.gone(`could not run: ${err.message}`));
    this.child.on('exit', (code, signal) => this.gone(`stopped (${signal ? `signal ${signal}` : `exit code ${code}`})`));
    const { activeKeyId, keys } = start.payloadKeys;
    this.send({
      kind: 'start',
      workflowBundlePath: start.workflowBundlePath,
      // Over the IPC channel, never in arguments or the environment, where other users could read them.
      payloadKeys: { activeKeyId, keys: [...keys].map(([id, key]) => [id, key.toString('base64')]) },
    });
  }

  /** Histories handed and not answered yet (one replaying, the others waiting in the lane). */
  get load(): number {
    return this.unanswered.size;
  }

  /** The history's outcome; rejects, naming the lane, when the lane stops before answering it. */
  replay(history: HistoryText): Promise<ReplayOutcome> {
    if (this.stopping || this.ended) return Promise.reject(new Error(`replay lane ${this.pid} was stopped`));
    const id = this.nextId++;
    if (this.unanswered.size === 0) this.busy();
    return new Promise((resolve, reject) => {
      this.unanswered.set(id, { resolve, reject });
      // Only what a lane needs travels: not the caller's other fields.
      this.send({ kind: 'history', id, history: { workflowId: history.workflowId, json: history.json } });
    });
  }

  /** Lets the lane exit (it exits when its channel closes) and waits until it has. */
  async stop(): Promise<void> {
    this.stopping = true;
    // Waited for: shutdown goes on only once the lane is gone.
    this.child.ref();
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  private send(request: LaneRequest): void {
    // A send fails only on a closed channel: the lane is exiting, and its exit fails what it held.
    this.child.send(request, () => undefined);
  }

  private answered({ id, outcome }: LaneAnswer): void {
    const waiting = this.unanswered.get(id);
    if (!waiting) return;
    this.unanswered.delete(id);
    waiting.resolve(outcome);
    if (this.unanswered.size === 0) this.idle();
  }

  /** Working: the parent waits for it. */
  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
  }

  /** Idle: a parent with nothing else to do may exit; the lane then sees its channel close and exits too. */
  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  /** Fails what it was handed (only the replays those belong to), once, however it ended. */
  private gone(how: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    const pending = this.unanswered.size;
    const error = new Error(`replay lane ${this.pid} ${how} with ${pending} histor${pending === 1 ? 'y' : 'ies'} unanswered; the replay is incomplete`);
    for (const { reject } of this.unanswered.values()) reject(error);
    this.unanswered.clear();
    this.onExit();
  }
}
