import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../platform/project-root';

/** A scenario's figures by name (units in the name), what `npm run bench` keeps for comparing commits. */
export type Figures = Record<string, number>;

/** Writes bench/results/<scenario>-<date>.json (the commit, the sizes asked for, the figures); answers its path. */
export async function writeResults(scenario: string, figures: Figures, at = new Date()): Promise<string> {
  const folder = path.join(projectRoot(), 'bench', 'results');
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${scenario}-${at.toISOString().slice(0, 10)}.json`);
  const sizes = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('BENCH_')));
  await writeFile(file, `${JSON.stringify({ scenario, at: at.toISOString(), commit: commitOf(), sizes, figures }, null, 2)}\n`);
  return file;
}

function commitOf(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined; // not a checkout (an image): the date alone names the run
  }
}
