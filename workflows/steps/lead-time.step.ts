import { setHandler } from '@temporalio/workflow';
import { assessLeadTime } from '../lead-time-policy';
import { refuseUnless, requireActor, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { decideShortNoticeUpdate, type DecideShortNotice } from '../update-request.contract';

const DECISIONS = { accept: 'accepted', decline: 'declined', expedite: 'expedited' } as const;

export function registerLeadTimeHandlers(run: RequestRun): void {
  const validate = ({ actor, decision, reason }: DecideShortNotice) => {
    requireActor(actor, ['operator'], run.request.customerId);
    refuseUnless(run.state.status === 'lead-time-review', `no short-notice decision is pending (status ${run.state.status})`);
    refuseUnless(decision in DECISIONS, 'decision must be accept, decline or expedite');
    refuseUnless(decision !== 'expedite' || run.request.criticalSecurity, 'only critical security patches may be expedited');
    requireText(reason, 'reason');
  };
  setHandler(decideShortNoticeUpdate, (input) => {
    const leadTime = run.state.leadTime!;
    leadTime.decision = DECISIONS[input.decision];
    // An expedited critical patch is committed to; an accepted short notice is best effort.
    leadTime.guaranteed = input.decision === 'expedite';
    run.record('lead-time', `short-notice-${leadTime.decision}`, input.actor, { reason: input.reason });
    return { status: run.state.status, version: run.state.version };
  }, { validator: validate });
}

/**
 * Step 1. A request with the full lead time is guaranteed. Short notice waits for an operator's
 * decision until the deadline; no decision in time declines it.
 */
export async function reviewLeadTime(run: RequestRun): Promise<'proceed' | 'declined'> {
  const leadTime = assessLeadTime(run.request, run.policy, new Date());
  run.state.leadTime = leadTime;
  run.record('lead-time', leadTime.verdict, 'system', { earliestGuaranteedStart: leadTime.earliestGuaranteedStart });
  run.notify('request-received', 'customer', 'intake', {
    details: { leadTime: leadTime.verdict, earliestGuaranteedStart: leadTime.earliestGuaranteedStart },
  });
  if (leadTime.verdict === 'guaranteed') return 'proceed';

  run.setStatus('lead-time-review');
  run.notify('short-notice-review', 'operations', 'review', { details: { decideBy: leadTime.decideBy! } });
  const decided = await run.waitUntil(() => leadTime.decision !== undefined, Date.parse(leadTime.decideBy!) - Date.now());
  if (!decided) {
    leadTime.decision = 'timed-out';
    run.record('lead-time', 'short-notice-timed-out', 'system', { decideBy: leadTime.decideBy! });
  }
  if (leadTime.decision === 'declined' || leadTime.decision === 'timed-out') {
    run.notify('short-notice-declined', 'customer', 'review');
    return 'declined';
  }
  return 'proceed';
}
