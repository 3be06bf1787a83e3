import { setHandler } from '@temporalio/workflow';
import { assessLeadTime } from '../lead-time-policy';
import { refuseUnless, requireChoice, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { decideShortNoticeUpdate, type DecideShortNotice, type LeadTimeState, type ShortNoticeDecision } from '../update-request.contract';
import type { WaitDeclaration } from '../waits';

const DECISIONS: Record<ShortNoticeDecision, NonNullable<LeadTimeState['decision']>> = { accept: 'accepted', decline: 'declined', expedite: 'expedited' };
const DECISION_NAMES = Object.keys(DECISIONS) as ShortNoticeDecision[];

/** A short-notice request waits for an operator's decision until its deadline. */
function awaitingDecision(run: RequestRun, leadTime: LeadTimeState): WaitDeclaration {
  return {
    accepts: () => [{
      update: 'decideShortNotice',
      roles: ['operator'],
      deadline: leadTime.decideBy,
      description: run.request.criticalSecurity
        ? 'accept, decline or expedite the short-notice critical security request'
        : 'accept (not guaranteed) or decline the short-notice request',
    }],
    cancellation: { accepted: true },
  };
}

export function registerLeadTimeHandlers(run: RequestRun): void {
  const validate = ({ actor, decision, reason }: DecideShortNotice) => {
    run.requireDeclared('decideShortNotice', actor);
    requireChoice(decision, DECISION_NAMES, 'decision');
    refuseUnless(decision !== 'expedite' || run.request.criticalSecurity, 'only critical security patches may be expedited');
    requireText(reason, 'reason');
  };
  setHandler(decideShortNoticeUpdate, (input) => run.act(() => {
    const leadTime = run.state.leadTime!;
    leadTime.decision = DECISIONS[input.decision];
    // An expedited critical patch is committed to; an accepted short notice is best effort.
    leadTime.guaranteed = input.decision === 'expedite';
    run.record('lead-time', `short-notice-${leadTime.decision}`, input.actor, { reason: input.reason });
  }), { validator: validate });
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

  run.enter('lead-time-review', awaitingDecision(run, leadTime));
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
