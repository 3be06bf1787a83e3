import { patched } from '@temporalio/workflow';
import { records, settings } from '../activity-profiles';
import type { RequestRun } from '../request-run';

/** Loads the rules that govern this request and confirms its receipt to customer and operations. */
export async function receiveRequest(run: RequestRun): Promise<void> {
  // Runs started before `policy-read-locally` read it in an activity, through the server.
  run.state.policy = await (patched('policy-read-locally') ? settings : records).loadPolicy();
  const { software, targets, performer, desiredStart } = run.request;
  run.record('intake', 'request-submitted', 'system', {
    software: `${software.name} ${software.currentVersion} -> ${software.targetVersion}`,
    targets: targets.map((t) => `${t.kind}:${t.name}`),
    performer: performer.kind,
    desiredStart,
  });
  run.notify('new-request', 'operations', 'intake');
}
