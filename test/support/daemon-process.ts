import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/**
 * A daemon a test starts in the foreground, so the test holds its PID: it stops with the test
 * (`stop`), and run-tests.mjs kills the file's process group should the test die first.
 */
export interface DaemonProcess {
  pid: number;
  stop(): Promise<void>;
}

/** Starts `command`, logging to `logFile`, and waits until `ready` answers true (or fails naming the log). */
export async function startDaemon(command: string, args: string[], logFile: string, ready: () => Promise<boolean>): Promise<DaemonProcess> {
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  let exited = false;
  child.on('exit', () => { exited = true; });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned || child.pid === undefined) throw new Error(`${command} could not be started: is it installed? (.ci/run installs it)`);
  const pid = child.pid;
  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(pid, 'SIGTERM');
    const killLater = setTimeout(() => { if (!exited) process.kill(pid, 'SIGKILL'); }, 10_000);
    await gone;
    clearTimeout(killLater);
  };
  const deadline = Date.now() + 30_000;
  while (!(await ready())) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${command} did not become ready; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid, stop };
}
