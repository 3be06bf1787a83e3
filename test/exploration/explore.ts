// `npm run explore -- --runs N [--seed S] [--path P] [--max-commands M]`: a longer exploration than CI's.
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { quietTemporalRuntime } from '../support/temporal';
import { exploration } from './procedure-explorer';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '50' }, seed: { type: 'string' }, path: { type: 'string' }, 'max-commands': { type: 'string', default: '16' } },
});

async function main(): Promise<void> {
  quietTemporalRuntime();
  const stats = { sequences: 0, commands: 0 };
  const started = Date.now();
  await fc.assert(exploration(stats, Number(values['max-commands'])), {
    numRuns: Number(values.runs),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.path ? { path: values.path } : {}),
    endOnFailure: true,
  });
  console.log(`exploration: ${stats.sequences} sequences, ${stats.commands} commands in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
