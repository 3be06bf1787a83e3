import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startArchiveSweeper, type SweepResult } from '../../platform/audit/archive-sweeper';

describe('archive sweeper loop (the worker runs it)', () => {
  it('sweeps again and again, one at a time, survives a failed sweep, and finishes the sweep under way on stop', async () => {
    const logged: string[] = [];
    const log = { info: (d: object, m: string) => logged.push(`${m} ${JSON.stringify(d)}`), error: (_d: object, m: string) => logged.push(m) };
    let sweeps = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const sweep = async (): Promise<SweepResult> => {
      sweeps += 1;
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise((r) => setTimeout(r, 15));
      concurrent -= 1;
      if (sweeps === 1) throw new Error('Temporal unreachable');
      return { archived: sweeps === 2 ? ['update-request-1'] : [], open: 0 };
    };
    const sut = startArchiveSweeper(sweep, 5, log);
    while (sweeps < 3) await new Promise((r) => setTimeout(r, 5));
    await sut.stop();
    const after = sweeps;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(sweeps, after, 'no sweep after stop');
    assert.equal(concurrent, 0, 'stop waited for the sweep under way');
    assert.equal(maxConcurrent, 1);
    assert.equal(logged[0], 'archive sweep failed; the next sweep retries');
    assert.match(logged[1], /archived closed workflow histories .*update-request-1/);
  });

  it('never sweeps when the interval is 0', async () => {
    let sweeps = 0;
    const sut = startArchiveSweeper(async () => { sweeps += 1; return { archived: [], open: 0 }; }, 0, { info() {}, error() {} });
    await new Promise((r) => setTimeout(r, 20));
    await sut.stop();
    assert.equal(sweeps, 0);
  });
});
