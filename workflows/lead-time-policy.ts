import { parseInstant } from './instant';
import { responseHours } from './priority';
import type { LeadTimeState, UpdatePolicy, UpdateRequest } from './update-request.contract';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Requests must arrive `leadTimeDays` before the desired start to be guaranteed. Shorter notice
 * is reviewed by an operator before the decision deadline; critical security patches may be
 * expedited.
 */
export function assessLeadTime(request: UpdateRequest, policy: UpdatePolicy, now: Date): LeadTimeState {
  const earliest = new Date(Date.parse(request.submittedAt) + policy.leadTimeDays * DAY_MS);
  // A desired start without an offset (a client that bypassed the API) never counts as guaranteed.
  const guaranteed = parseInstant(request.desiredStart) >= earliest.getTime();
  return guaranteed
    ? { verdict: 'guaranteed', earliestGuaranteedStart: earliest.toISOString(), guaranteed: true }
    : {
        verdict: 'short-notice',
        earliestGuaranteedStart: earliest.toISOString(),
        guaranteed: false,
        decideBy: new Date(now.getTime() + decisionHours(request, policy) * HOUR_MS).toISOString(),
      };
}

/** The severity's response time; a policy recorded before response times existed keeps its one deadline. */
function decisionHours(request: UpdateRequest, policy: UpdatePolicy): number {
  return responseHours(policy, request) ?? policy.shortNoticeDecisionHours!;
}

/** The earliest start a slot may have: the lead time when guaranteed, else any future time. */
export function earliestSlotStart(leadTime: LeadTimeState, now: Date): Date {
  return leadTime.guaranteed && leadTime.decision === undefined
    ? new Date(Math.max(Date.parse(leadTime.earliestGuaranteedStart), now.getTime()))
    : now;
}
