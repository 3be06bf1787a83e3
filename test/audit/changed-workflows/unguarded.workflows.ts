// The current workflows with one change that old histories cannot replay: a pause before intake,
// added without `patched()`. Bundled by the audit tests (bundle.ts) only.
import { sleep } from '@temporalio/workflow';
import { managedUpdateWorkflow as current } from '../../../workflows/update-request.workflow';
import type { UpdateRequest } from '../../../workflows/update-request.contract';

export { hostUpdateWorkflow } from '../../../workflows/host-update.workflow';

export async function managedUpdateWorkflow(request: UpdateRequest) {
  await sleep('1 minute');
  return current(request);
}
