import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../platform/payload-codec';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle';

/** Bundles the workflows once at build time, so the worker and every test load the same code fast. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, '..', 'workflows', 'index.js'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  await writeFile(WORKFLOW_BUNDLE_PATH, code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
