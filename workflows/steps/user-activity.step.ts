import { patched, setHandler } from '@temporalio/workflow';
import { hostChecks, hypervisor } from '../activity-profiles';
import { checkFailed, commandEvidence, unreachable } from '../host-evidence';
import { refuseUnless, requireChoice, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import {
  reportUserActivityUpdate,
  resolveUserActivityUpdate,
  type ReportUserActivity,
  type ResolveUserActivity,
  type UserActivityState,
} from '../update-request.contract';
import type { DeclaredAction, WaitDeclaration } from '../waits';
import { touchedTargets } from './targets';

const MINUTE_MS = 60_000;
/** A user count above this is a typing error, not a farm. */
const MAX_ACTIVE_USERS = 100_000;
/**
 * Once operators may decide, re-checks back off (doubling) up to this interval, so a request left
 * waiting for weeks adds a few events an hour at most instead of one cycle every quarter hour.
 */
const MAX_RECHECK_MINUTES = 8 * 60;

/**
 * Step 6's wait: an operator attests (without a session provider, or when the provider could not
 * reach a host), may check an unreachable host again or postpone, and may override active users
 * after the limit.
 */
function checkingForUsers(run: RequestRun, ua: UserActivityState): WaitDeclaration {
  return {
    accepts: (now) => {
      const actions: DeclaredAction[] = [];
      const missed = ua.unreachable;
      if (!run.policy.sessionProvider || missed) {
        const description = missed
          ? `${missed.target} could not be checked (${missed.error}): check the targets by hand and report`
          : 'check the targets for active users and report';
        actions.push({ update: 'reportUserActivity', roles: ['operator'], description });
      }
      const refusal = missed ? undefined
        : !(ua.activeUsers && ua.activeUsers > 0) ? 'no users are active: nothing to resolve'
        : now < Date.parse(ua.overrideAllowedAt) ? `users may still log off: an override is possible from ${ua.overrideAllowedAt}` : undefined;
      actions.push({
        update: 'resolveUserActivity',
        roles: ['operator'],
        description: missed ? `${missed.target} could not be checked: check again, or postpone` : 'users are still active: proceed with a reason, or postpone',
        ...(refusal ? { refusal } : {}),
      });
      return actions;
    },
    cancellation: { accepted: true },
  };
}

export function registerUserActivityHandlers(run: RequestRun): void {
  setHandler(reportUserActivityUpdate, ({ actor, activeUsers, notes }) => run.act(() => {
    noteCheck(run, activeUsers);
    run.state.userActivity!.unreachable = undefined;
    run.record('user-activity', activeUsers === 0 ? 'no-active-users' : 'users-active', actor, { activeUsers, notes });
  }), {
    validator: ({ actor, activeUsers, notes }: ReportUserActivity) => {
      run.requireDeclared('reportUserActivity', actor);
      refuseUnless(Number.isInteger(activeUsers) && activeUsers >= 0 && activeUsers <= MAX_ACTIVE_USERS,
        `activeUsers must be a whole number from 0 to ${MAX_ACTIVE_USERS}`);
      requireText(notes, 'notes');
    },
  });

  setHandler(resolveUserActivityUpdate, ({ actor, decision, reason }) => run.act(() => {
    const ua = run.state.userActivity!;
    if (decision === 'recheck') {
      ua.unreachable = undefined;
      run.record('user-activity', 'recheck-requested', actor, { reason });
      return;
    }
    ua.resolution = { decision, reason, by: actor.id };
    run.record('user-activity', decision === 'proceed' ? 'proceeding-despite-active-users' : 'postponed', actor, { reason });
  }), {
    validator: ({ actor, decision, reason }: ResolveUserActivity) => {
      run.requireDeclared('resolveUserActivity', actor);
      const missed = run.state.userActivity?.unreachable;
      requireChoice(decision, missed ? ['recheck', 'postpone'] : ['proceed', 'postpone'], 'decision');
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
 * Asks the provider who has the software open on the targets and records the answer with the
 * commands' evidence; false when a host could not be checked (then `unreachable` says which).
 */
async function inspectTargets(run: RequestRun, targets: string[]): Promise<boolean> {
  const ua = run.state.userActivity!;
  try {
    const report = await hostChecks.inspectActiveUsers({ requestId: run.request.requestId, targets, softwareName: run.request.software.name });
    if (report.outcome === 'counted') {
      noteCheck(run, report.activeUsers);
      run.record('user-activity', report.activeUsers === 0 ? 'no-active-users' : 'users-active', 'system', {
        activeUsers: report.activeUsers, users: report.users.map((u) => `${u.user}@${u.target}`), ...commandEvidence(report.evidence),
      });
      return true;
    }
    ua.unreachable = unreachable(report);
    run.record('user-activity', 'host-unreachable', 'system', { error: report.error, attempts: report.attempts, ...commandEvidence(report.evidence) }, report.target);
  } catch (err) {
    ua.unreachable = checkFailed(err, targets.join(', '));
    run.record('user-activity', 'check-failed', 'system', { error: ua.unreachable.error });
  }
  const { target, error, at } = ua.unreachable;
  run.notify('host-unreachable', 'operations', `user-activity-${at}`, { details: { step: 'user-activity', target, error } });
  return false;
}

/**
 * Step 6. Nobody may be working on the targets. If users are active, the customer is told and the
 * check repeats; after the limit operations is alerted and the operator may proceed with a
 * documented reason, or postpone, while the re-checks back off.
 */
export async function ensureNoActiveUsers(run: RequestRun): Promise<'clear' | 'postponed'> {
  const { userActivityRecheckMinutes, userActivityLimitMinutes, sessionProvider } = run.policy;
  const ua: UserActivityState = {
    firstCheckAt: new Date().toISOString(),
    checks: 0,
    customerNotified: false,
    overrideAllowedAt: new Date(Date.now() + userActivityLimitMinutes * MINUTE_MS).toISOString(),
  };
  run.state.userActivity = ua;
  run.enter('user-activity', checkingForUsers(run, ua));
  const targets = touchedTargets(run.request).map((t) => t.name);
  let recheckMinutes = userActivityRecheckMinutes;
  let escalated = false;
  for (;;) {
    const seen = ua.checks;
    if (sessionProvider && run.policy.hostChecks && patched('user-activity-evidence')) {
      // Nobody could look at a host: the engineer checks again, reports by hand, postpones or cancels.
      if (!(await inspectTargets(run, targets))) await run.waitUntil(() => ua.unreachable === undefined || ua.resolution !== undefined);
      if (!ua.resolution && ua.checks === seen) continue;
    } else if (sessionProvider) {
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
    if (!sessionProvider) continue;
    if (!escalated && Date.now() >= Date.parse(ua.overrideAllowedAt) && patched('user-activity-backoff')) {
      escalated = true;
      run.record('user-activity', 'escalated', 'system', { activeUsers: ua.activeUsers!, since: ua.firstCheckAt });
      run.notify('step-overdue', 'operations', `user-activity-${ua.firstCheckAt}`, {
        details: { step: 'user-activity', deadline: ua.overrideAllowedAt },
      });
    }
    if (await run.waitUntil(() => ua.resolution !== undefined, recheckMinutes * MINUTE_MS)) {
      return ua.resolution!.decision === 'proceed' ? 'clear' : 'postponed';
    }
    if (escalated) recheckMinutes = Math.min(recheckMinutes * 2, MAX_RECHECK_MINUTES);
  }
}
