import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const QUIET = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Bundles one of the changed-workflows variants into `dir`, as `npm run build` bundles the real ones; returns the file. */
export async function bundleChangedWorkflows(dir: string, variant: 'unguarded' | 'patched'): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, `${variant}.workflows.js`), logger: QUIET });
  const file = path.join(dir, `${variant}.js`);
  await writeFile(file, code);
  return file;
}
