import { describe, it } from 'node:test';
import { explorationFromEnvironment, explore } from './procedure-explorer';

/**
 * The bounded exploration CI runs (sixteen sequences, about three minutes; the test runner gives
 * this file a longer limit); `npm run explore -- --runs N [--seed S]` runs more and shrinks a failure. A failure prints
 * fast-check's seed and path; EXPLORE_SEED and EXPLORE_PATH replay exactly that sequence.
 */
describe('model-based exploration of the procedure', () => {
  it('keeps every invariant over random sequences of actions, time skips and restarts', async () => {
    const stats = await explore(explorationFromEnvironment(16));
    console.log(`exploration: ${stats.sequences} sequences, ${stats.commands} commands`);
  });
});
