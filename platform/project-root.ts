import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The folder holding this project's package.json, found from wherever the compiled file runs. */
export function projectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'managed-updates') return dir;
    if (path.dirname(dir) === dir) throw new Error(`managed-updates: no package.json above ${start}`);
  }
}
