// `npm run explore -- --runs N [--seed S] [--path P] [--max-commands M]`: a longer exploration than CI's.
import { parseArgs } from 'node:util';
import { quietTemporalRuntime } from '../support/temporal';
import { explore } from './procedure-explorer';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '50' }, seed: { type: 'string' }, path: { type: 'string' }, 'max-commands': { type: 'string', default: '16' } },
});

async function main(): Promise<void> {
  quietTemporalRuntime();
  const started = Date.now();
  const stats = await explore({
    runs: Number(values.runs),
    maxCommands: Number(values['max-commands']),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.path ? { path: values.path } : {}),
    shrink: true,
  });
  console.log(`exploration: ${stats.sequences} sequences, ${stats.commands} commands in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
