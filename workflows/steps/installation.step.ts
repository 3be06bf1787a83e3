import { startChild, workflowInfo } from '@temporalio/workflow';
import { hostUpdateWorkflow } from '../host-update.workflow';
import type { RequestRun } from '../request-run';
import { hostUpdateWorkflowId, type Target } from '../update-request.contract';
import type { WaitDeclaration } from '../waits';
import { partnerOf } from './partner';

export const INSTALLATION_STARTED = 'installation has started: the update can only be rolled back now';

/**
 * Step 7's wait: the request itself accepts nothing; each running host's workflow declares its own
 * steps, and the request points there (the API and pages ask the host for the details).
 */
function installing(run: RequestRun): WaitDeclaration {
  return {
    accepts: () => run.state.hosts.filter((h) => h.status === 'running').map((h) => ({
      update: 'recordHostStep' as const,
      roles: ['operator' as const],
      workflowId: h.workflowId,
      target: h.target,
      description: run.policy.hostChecks
        ? `install and configure ${h.target}, then confirm its automated technical test (or decide on a failure)`
        : `install, configure and test ${h.target} (or decide on its failure)`,
    })),
    cancellation: { accepted: false, refusal: INSTALLATION_STARTED },
  };
}

export type InstallationOutcome = { outcome: 'succeeded' } | { outcome: 'rollback' | 'abort'; target: string; reason: string };

/**
 * Step 7. Each target in turn (servers first, then client hosts one at a time) in its own child
 * workflow, which the operator drives; the first host that ends in rollback or abort stops the rest.
 */
export async function installOnTargets(run: RequestRun, targets: Target[], round: number): Promise<InstallationOutcome> {
  run.enter('installation', installing(run));
  for (const target of targets) {
    const workflowId = hostUpdateWorkflowId(workflowInfo().workflowId, target.name, round);
    // The host is listed only once its workflow exists, so the pending action it shows can be taken.
    const child = await startChild(hostUpdateWorkflow, {
      workflowId,
      args: [{
        requestId: run.request.requestId, target, round, software: run.request.software,
        ...(run.policy.hostChecks ? { automatedTechnicalTest: true, notificationSubject: run.notificationSubject() } : {}),
        // Only a slot agreed with a partner (behind its own patch) carries it: older runs start the same hosts.
        ...(partnerOf(run.state.slot) ? { performedByPartner: true } : {}),
      }],
    });
    const host = { target: target.name, kind: target.kind, round, workflowId, status: 'running' as const };
    run.state.hosts.push(host);
    run.touch();
    const result = await run.waitFor(child.result());
    run.timeline.adopt(result.timeline);
    const index = run.state.hosts.indexOf(host);
    if (result.outcome === 'succeeded') {
      run.state.hosts[index] = { ...host, status: 'succeeded' };
      run.touch();
      continue;
    }
    run.state.hosts[index] = { ...host, status: 'failed', failure: { step: result.failedStep, decision: result.outcome, reason: result.reason } };
    run.touch();
    return { outcome: result.outcome, target: target.name, reason: result.reason };
  }
  return { outcome: 'succeeded' };
}
