/**
 * `npm run bench -- <scenario>`: runs one benchmark scenario and prints its table. Each scenario
 * starts what it needs on free loopback ports and a fresh schema, and stops it again; nothing here
 * asserts a speed (README, Benchmarks).
 */
import { actionsBench } from './actions.bench';
import { archiveSweepBench } from './archive-sweep.bench';
import { listingBench } from './listing.bench';
import { replayBench } from './replay.bench';

const SCENARIOS: Record<string, () => Promise<void>> = {
  actions: actionsBench,
  listing: listingBench,
  'archive-sweep': archiveSweepBench,
  replay: replayBench,
};

const name = process.argv[2];
if (!name || !Object.hasOwn(SCENARIOS, name)) {
  console.error(`usage: npm run bench -- <scenario>; scenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
SCENARIOS[name]().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
