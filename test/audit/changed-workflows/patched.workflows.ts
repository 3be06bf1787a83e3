// The same change behind `patched()`, as README ("Changing the workflow") recommends: runs recorded
// before it replay the old path, new runs take the pause. Bundled by the audit tests (bundle.ts) only.
import { patched, sleep } from '@temporalio/workflow';
import { managedUpdateWorkflow as current } from '../../../workflows/update-request.workflow';
import type { UpdateRequest } from '../../../workflows/update-request.contract';

export { hostUpdateWorkflow } from '../../../workflows/host-update.workflow';

export async function managedUpdateWorkflow(request: UpdateRequest) {
  if (patched('pause-before-intake')) await sleep('1 minute');
  return current(request);
}
