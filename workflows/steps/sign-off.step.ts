import { patched, setHandler } from '@temporalio/workflow';
import { records } from '../activity-profiles';
import { refuseUnless, requireChoice, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import {
  rejectUpdateUpdate,
  resolveRejectionUpdate,
  signOffUpdate,
  type RejectUpdate,
  type ResolveRejection,
  type SignOff,
  type SignOffState,
} from '../update-request.contract';
import type { DeclaredAction, WaitDeclaration } from '../waits';
import { INSTALLATION_STARTED } from './installation.step';
import { touchedTargets } from './targets';

const HOUR_MS = 3_600_000;

export type SignOffVerdict = { kind: 'signed-off' } | { kind: 'fix'; targets: string[] } | { kind: 'rollback' };

const openRejection = (signOff: SignOffState) => signOff.rejections.find((r) => !r.resolution);

/** Steps 8–9's wait: the customer tests and signs off or reports a failure, which operations resolves. */
function awaitingVerdict(signOff: SignOffState, escalateAt: number): WaitDeclaration {
  return {
    accepts: () => {
      const withOperations = openRejection(signOff) !== undefined;
      const closed = signOff.signedOffAt ? 'the update is already signed off'
        : withOperations ? 'a reported failure is being handled by operations' : undefined;
      const customer: DeclaredAction[] = [
        { update: 'signOff', roles: ['customer'], deadline: new Date(escalateAt).toISOString(), description: 'run the functional tests and sign off' },
        { update: 'rejectUpdate', roles: ['customer'], description: 'report a functional failure' },
      ];
      return [
        ...customer.map((a) => (closed ? { ...a, refusal: closed } : a)),
        ...(withOperations && !signOff.signedOffAt ? [{ update: 'resolveRejection' as const, roles: ['operator' as const], description: 'fix the named targets or roll back' }] : []),
      ];
    },
    cancellation: { accepted: false, refusal: INSTALLATION_STARTED },
  };
}

export function registerSignOffHandlers(run: RequestRun): void {
  const openRejectionNow = () => openRejection(run.state.signOff!)!;

  setHandler(signOffUpdate, ({ actor, notes }) => run.act(() => {
    const signOff = run.state.signOff!;
    signOff.signedOffAt = new Date().toISOString();
    signOff.signedOffBy = actor.id;
    run.record('sign-off', 'signed-off', actor, notes ? { notes } : {});
  }), {
    validator: ({ actor, notes }: SignOff) => {
      run.requireDeclared('signOff', actor);
      if (notes !== undefined) requireText(notes, 'notes');
    },
  });

  setHandler(rejectUpdateUpdate, ({ actor, description }) => run.act(() => {
    const { rejections } = run.state.signOff!;
    rejections.push({ at: new Date().toISOString(), by: actor.id, description });
    run.record('sign-off', 'functional-test-failed', actor, { description });
    run.notify('sign-off-rejected', 'operations', String(rejections.length), { details: { description } });
  }), {
    validator: ({ actor, description }: RejectUpdate) => {
      run.requireDeclared('rejectUpdate', actor);
      requireText(description, 'description');
    },
  });

  setHandler(resolveRejectionUpdate, ({ actor, decision, targets, reason }) => run.act(() => {
    const rejection = openRejectionNow();
    rejection.resolution = decision;
    if (decision === 'fix') rejection.fixTargets = targets;
    run.record('sign-off', decision === 'fix' ? 'fix-decided' : 'rollback-decided', actor, { reason, ...(targets ? { targets } : {}) });
  }), {
    validator: ({ actor, decision, targets, reason }: ResolveRejection) => {
      run.requireDeclared('resolveRejection', actor);
      requireChoice(decision, ['fix', 'rollback'], 'decision');
      requireText(reason, 'reason');
      if (decision === 'fix') {
        const known = touchedTargets(run.request).map((t) => t.name);
        refuseUnless(Array.isArray(targets) && targets.length > 0 && targets.every((t) => typeof t === 'string'), 'a fix names the targets to work on again');
        const unknown = targets.filter((t) => !known.includes(t));
        refuseUnless(unknown.length === 0, `not a target of this update: ${unknown.join(', ')}`);
      }
    },
  });
}

/**
 * Steps 8–9. Tell the customer the update is done, then wait for sign-off or a reported failure.
 * Reminders go out on an interval and past the limit operations is alerted: silence never signs off.
 */
export async function awaitSignOff(run: RequestRun): Promise<SignOffVerdict> {
  const { signOffReminderHours, signOffEscalationHours } = run.policy;
  const signOff: SignOffState = { requestedAt: new Date().toISOString(), remindersSent: 0, rejections: run.state.signOff?.rejections ?? [] };
  run.state.signOff = signOff;
  const escalateAt = Date.parse(signOff.requestedAt) + signOffEscalationHours * HOUR_MS;
  run.enter('functional-testing', awaitingVerdict(signOff, escalateAt));
  const round = String(signOff.rejections.length + 1);
  const earlier = signOff.rejections.length;
  run.record('customer-notification', 'functional-tests-requested', 'system', { round });
  run.notify('update-done', 'customer', round);

  const decided = () => signOff.signedOffAt !== undefined || signOff.rejections.slice(earlier).some((r) => r.resolution);
  const withOperations = () => signOff.rejections.some((r) => !r.resolution);
  while (!decided()) {
    if (withOperations()) {
      await run.waitUntil(decided);
      continue;
    }
    const nextReminder = Date.parse(signOff.requestedAt) + (signOff.remindersSent + 1) * signOffReminderHours * HOUR_MS;
    const next = signOff.escalatedAt ? nextReminder : Math.min(nextReminder, escalateAt);
    if (await run.waitUntil(() => decided() || withOperations(), next - Date.now())) continue;
    if (!signOff.escalatedAt && Date.now() >= escalateAt) {
      signOff.escalatedAt = new Date().toISOString();
      run.record('sign-off', 'escalated', 'system', { waitingSince: signOff.requestedAt });
      run.notify('step-overdue', 'operations', `sign-off-${round}`, {
        details: { step: 'sign-off', deadline: new Date(escalateAt).toISOString(), waitingSince: signOff.requestedAt },
      });
    }
    if (Date.now() >= nextReminder) {
      signOff.remindersSent += 1;
      run.record('sign-off', 'reminder-sent', 'system', { reminder: signOff.remindersSent });
      run.notify('sign-off-reminder', 'customer', `${round}-${signOff.remindersSent}`);
    }
  }
  if (signOff.signedOffAt) return { kind: 'signed-off' };
  const resolved = signOff.rejections.slice(earlier).find((r) => r.resolution)!;
  return resolved.resolution === 'fix' ? { kind: 'fix', targets: resolved.fixTargets! } : { kind: 'rollback' };
}

/**
 * The signed-off version is what runs on the targets now, so the next request is checked against
 * it; a rolled-back update leaves the record as it was. Runs started before this rule did not.
 */
export async function recordInstalledVersion(run: RequestRun): Promise<void> {
  if (!patched('installed-version-on-sign-off')) return;
  const { requestId, customerId, software } = run.request;
  const systems = await records.recordInstalledVersion({ requestId, customerId, software, targets: touchedTargets(run.request) });
  run.record('sign-off', 'installed-version-recorded', 'system', { version: software.targetVersion, systems });
}
