import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

export interface ProcessExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as another system user: PostgreSQL refuses to run as root. */
  user?: { uid: number; gid: number };
  /** The signal that asks this program for a prompt, clean shutdown (PostgreSQL: SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** 'inherit' for programs that already log JSON lines; otherwise each output line goes to this logger. */
  output: 'inherit' | Logger;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<ProcessExit>;
  /** Sends the stop signal, and SIGKILL if the process is still there after `graceMs`. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

const running = new Map<ChildProcess, NodeJS.Signals>();

// Children run in their own process group, so a terminal's Ctrl-C reaches only the launcher, which
// stops them in order. If the launcher itself dies, this last handler still asks them to stop.
process.on('exit', () => {
  for (const [child, signal] of running) child.kill(signal);
});

function forwardLines(stream: NodeJS.ReadableStream | null, logger: Logger): void {
  if (stream) createInterface({ input: stream }).on('line', (line) => line.trim() && logger.info(line));
}

/** Starts a program and keeps track of it until it exits. Rejects when it cannot be started at all. */
export async function startProcess(spec: ProcessSpec): Promise<ManagedProcess> {
  const child = spawn(spec.command, spec.args, {
    env: spec.env ?? process.env,
    cwd: spec.cwd,
    detached: true,
    stdio: ['ignore', spec.output === 'inherit' ? 'inherit' : 'pipe', spec.output === 'inherit' ? 'inherit' : 'pipe'],
    ...spec.user,
  });
  if (spec.output !== 'inherit') {
    forwardLines(child.stdout, spec.output);
    forwardLines(child.stderr, spec.output);
  }
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ name: spec.name, code, signal });
    });
  });
  await Promise.race([once(child, 'spawn'), once(child, 'error').then(([err]) => { throw err; })]);
  const stopSignal = spec.stopSignal ?? 'SIGTERM';
  running.set(child, stopSignal);
  return {
    name: spec.name,
    pid: child.pid ?? 0,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(stopSignal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Polls `probe` until it succeeds; fails when the process exits first or after `timeoutMs`.
 * The probe's last error is kept for the message, since it usually says what is wrong.
 */
export async function waitUntilReady(target: ManagedProcess, probe: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: ProcessExit | undefined;
  void target.exited.then((e) => { exit = e; });
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`${target.name} exited (code ${exit.code}, signal ${exit.signal}) before it was ready`);
    try {
      return await probe();
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${target.name} not ready after ${timeoutMs} ms: ${reason}`);
}
