import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startProcess, waitUntilReady, type ManagedProcess } from '../local/processes';
import { freePort, testLogger } from '../test/support/local-runtime';

/**
 * The production worker and API as child processes (`node dist/worker/main.js`, `…/api/main.js`),
 * as a deployment runs them: each has its own memory and event loop, so the bench can read one
 * worker's RSS alone and run several of each against one server.
 */

/** BENCH_PROFILE=<folder>: each worker and API process writes a V8 CPU profile there when it stops (Node refuses `--cpu-prof` in NODE_OPTIONS). */
const PROFILE_ARGS = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, '--cpu-prof-interval=500'] : [];

function startProgram(program: 'worker' | 'api', env: Record<string, string>): Promise<ManagedProcess> {
  return startProcess({
    name: program,
    command: process.execPath,
    args: [...PROFILE_ARGS, path.join(__dirname, '..', program, 'main.js')],
    env: { ...process.env, ...env },
    output: testLogger,
  });
}

/** A worker process, once the server sees one more poller on its task queue than before. */
export async function startWorkerProcess(client: Client, env: Record<string, string>): Promise<ManagedProcess> {
  const pollers = () => workflowPollers(client, env.TEMPORAL_TASK_QUEUE);
  const before = await pollers();
  const worker = await startProgram('worker', env);
  await waitUntilReady(worker, async () => {
    if ((await pollers()) <= before) throw new Error('not polling yet');
  }, 60_000);
  return worker;
}

/** An API process on a free port, once it answers HTTP. */
export async function startApiProcess(env: Record<string, string>): Promise<{ process: ManagedProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = await startProgram('api', { ...env, API_HOST: '127.0.0.1', API_PORT: String(port) });
  await waitUntilReady(api, async () => { await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }); }, 60_000);
  return { process: api, url };
}

/** A process's resident set size in bytes (Linux). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib[1]) * 1024;
}

async function workflowPollers(client: Client, taskQueue: string): Promise<number> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace, taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return pollers?.length ?? 0;
}
