import assert from 'node:assert/strict';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startProcess, waitUntilReady } from '../local/processes';
import { ServiceStack } from '../local/service-stack';
import { testLogger } from './support/local-runtime';

function node(name: string, script: string) {
  return startProcess({ name, command: process.execPath, args: ['-e', script], output: testLogger });
}

describe('process supervision of npm start', () => {
  it('stops services in the reverse order of their start', async () => {
    const stack = new ServiceStack(testLogger);
    const stopped: string[] = [];
    for (const name of ['mail', 'database', 'worker']) await stack.add({ name, stop: async () => { stopped.push(name); } });
    await stack.stopAll();
    assert.deepEqual(stopped, ['worker', 'database', 'mail']);
  });

  it('reports a child that dies on its own, but not one it stopped', async () => {
    const stack = new ServiceStack(testLogger);
    await stack.addProcess(await node('crashing', 'setTimeout(() => process.exit(3), 100)'));
    const exit = await stack.firstUnexpectedExit;
    assert.deepEqual(exit, { name: 'crashing', code: 3, signal: null });

    const quiet = new ServiceStack(testLogger);
    let reported = false;
    void quiet.firstUnexpectedExit.then(() => { reported = true; });
    await quiet.addProcess(await node('idle', 'setInterval(() => {}, 1000)'));
    await quiet.stopAll();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reported, false);
  });

  it('kills a child that ignores its stop signal once the grace time is over', async () => {
    // The child says when its handler is installed: on a loaded machine a fixed pause was not enough.
    const armed = path.join(await mkdtemp(path.join(tmpdir(), 'stubborn-')), 'armed');
    const stubborn = await node('stubborn',
      `process.on('SIGTERM', () => {}); require('node:fs').writeFileSync(${JSON.stringify(armed)}, ''); setInterval(() => {}, 1000)`);
    await waitUntilReady(stubborn, () => access(armed), 30_000);
    const exit = await stubborn.stop(300);
    assert.equal(exit.signal, 'SIGKILL');
  });

  it('rejects a program that cannot be started, and a probe that never answers', async () => {
    await assert.rejects(startProcess({ name: 'missing', command: '/nonexistent/program', args: [], output: testLogger }), /ENOENT/);
    const idle = await node('idle', 'setInterval(() => {}, 1000)');
    try {
      await assert.rejects(waitUntilReady(idle, async () => { throw new Error('refused'); }, 600), /idle not ready after 600 ms: refused/);
    } finally {
      await idle.stop();
    }
  });
});
