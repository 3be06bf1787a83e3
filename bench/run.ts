/**
 * `npm run bench -- <scenario>`: runs one benchmark scenario, prints its table and writes its
 * figures to bench/results/<scenario>-<date>.json for comparison between commits. Each scenario
 * starts what it needs on free loopback ports and a fresh schema, and stops it again; nothing here
 * asserts a speed (README, Benchmarks).
 */
import { actionsBench } from './actions.bench';
import { archiveSweepBench } from './archive-sweep.bench';
import { lifecycleBench } from './lifecycle.bench';
import { listingBench } from './listing.bench';
import { openRequestsBench } from './open-requests.bench';
import { replayBench } from './replay.bench';
import { writeResults, type Figures } from './results';
import { scaleOutBench } from './scale-out.bench';

const SCENARIOS: Record<string, () => Promise<Figures>> = {
  actions: actionsBench,
  listing: listingBench,
  'archive-sweep': archiveSweepBench,
  replay: replayBench,
  lifecycle: lifecycleBench,
  'open-requests': openRequestsBench,
  'scale-out': scaleOutBench,
};

const name = process.argv[2];
if (!name || !Object.hasOwn(SCENARIOS, name)) {
  console.error(`usage: npm run bench -- <scenario>; scenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
SCENARIOS[name]().then(async (figures) => {
  console.log(`figures written to ${await writeResults(name, figures)}`);
  process.exit(0);
}, (err) => {
  console.error(err);
  process.exit(1);
});
