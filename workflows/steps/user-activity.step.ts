import { setHandler } from '@temporalio/workflow';
import { hypervisor } from '../activity-profiles';
import { refuseUnless, requireActor, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import {
  reportUserActivityUpdate,
  resolveUserActivityUpdate,
  type ReportUserActivity,
  type ResolveUserActivity,
  type UserActivityState,
} from '../update-request.contract';
import { touchedTargets } from './targets';

const MINUTE_MS = 60_000;

export function registerUserActivityHandlers(run: RequestRun): void {
  const receipt = () => ({ status: run.state.status, version: run.state.version });

  setHandler(reportUserActivityUpdate, ({ actor, activeUsers, notes }) => {
    noteCheck(run, activeUsers);
    run.record('user-activity', activeUsers === 0 ? 'no-active-users' : 'users-active', actor, { activeUsers, notes });
    return receipt();
  }, {
    validator: ({ actor, activeUsers, notes }: ReportUserActivity) => {
      requireActor(actor, ['operator'], run.request.customerId);
      refuseUnless(run.state.status === 'user-activity', `no user-activity check is open (status ${run.state.status})`);
      refuseUnless(!run.policy.sessionProvider, 'the session provider checks user activity; no attestation is expected');
      refuseUnless(Number.isInteger(activeUsers) && activeUsers >= 0, 'activeUsers must be a whole number, 0 or more');
      requireText(notes, 'notes');
    },
  });

  setHandler(resolveUserActivityUpdate, ({ actor, decision, reason }) => {
    run.state.userActivity!.resolution = { decision, reason, by: actor.id };
    run.record('user-activity', decision === 'proceed' ? 'proceeding-despite-active-users' : 'postponed', actor, { reason });
    return receipt();
  }, {
    validator: ({ actor, decision, reason }: ResolveUserActivity) => {
      requireActor(actor, ['operator'], run.request.customerId);
      const ua = run.state.userActivity;
      refuseUnless(run.state.status === 'user-activity' && ua, `no user-activity check is open (status ${run.state.status})`);
      refuseUnless((ua.activeUsers ?? 0) > 0, 'no users are active: nothing to resolve');
      refuseUnless(Date.now() >= Date.parse(ua.overrideAllowedAt), `users may still log off: an override is possible from ${ua.overrideAllowedAt}`);
      refuseUnless(decision === 'proceed' || decision === 'postpone', 'decision must be proceed or postpone');
      requireText(reason, 'reason');
    },
  });
}

function noteCheck(run: RequestRun, activeUsers: number): void {
  const ua = run.state.userActivity!;
  ua.checks += 1;
  ua.activeUsers = activeUsers;
  ua.lastCheckAt = new Date().toISOString();
}

/**
 * Step 6. Nobody may be working on the targets. If users are active, the customer is told and the
 * check repeats; after the limit the operator may proceed with a documented reason, or postpone.
 */
export async function ensureNoActiveUsers(run: RequestRun): Promise<'clear' | 'postponed'> {
  run.setStatus('user-activity');
  const { userActivityRecheckMinutes, userActivityLimitMinutes, sessionProvider } = run.policy;
  const ua: UserActivityState = {
    firstCheckAt: new Date().toISOString(),
    checks: 0,
    customerNotified: false,
    overrideAllowedAt: new Date(Date.now() + userActivityLimitMinutes * MINUTE_MS).toISOString(),
  };
  run.state.userActivity = ua;
  const targets = touchedTargets(run.request).map((t) => t.name);
  for (;;) {
    const seen = ua.checks;
    if (sessionProvider) {
      const activeUsers = await hypervisor.countActiveUsers({ requestId: run.request.requestId, targets });
      noteCheck(run, activeUsers);
      run.record('user-activity', activeUsers === 0 ? 'no-active-users' : 'users-active', 'system', { activeUsers });
    } else {
      await run.waitUntil(() => ua.checks > seen || ua.resolution !== undefined);
    }
    if (ua.resolution) return ua.resolution.decision === 'proceed' ? 'clear' : 'postponed';
    if (ua.activeUsers === 0) return 'clear';
    if (!ua.customerNotified) {
      run.notify('users-active', 'customer', String(ua.checks), { details: { activeUsers: String(ua.activeUsers) } });
      ua.customerNotified = true;
      run.touch();
    }
    if (sessionProvider && await run.waitUntil(() => ua.resolution !== undefined, userActivityRecheckMinutes * MINUTE_MS)) {
      return ua.resolution!.decision === 'proceed' ? 'clear' : 'postponed';
    }
  }
}
