import { describe, it } from 'node:test';
import fc from 'fast-check';
import { exploration } from './procedure-explorer';

/**
 * The bounded exploration CI runs (about three minutes); `npm run explore -- --runs N [--seed S]`
 * runs more. A failure prints fast-check's seed and path with the shrunk command list; set
 * EXPLORE_SEED and EXPLORE_PATH to replay exactly that sequence.
 */
describe('model-based exploration of the procedure', () => {
  it('keeps every invariant over random sequences of actions, time skips and restarts', { timeout: 300_000 }, async () => {
    const stats = { sequences: 0, commands: 0 };
    const seed = process.env.EXPLORE_SEED ? Number(process.env.EXPLORE_SEED) : undefined;
    await fc.assert(exploration(stats, 12), {
      numRuns: Number(process.env.EXPLORE_RUNS ?? 10),
      ...(seed !== undefined ? { seed } : {}),
      ...(process.env.EXPLORE_PATH ? { path: process.env.EXPLORE_PATH } : {}),
      endOnFailure: true,
    });
    console.log(`exploration: ${stats.sequences} sequences, ${stats.commands} commands`);
  });
});
