import { condition, patched } from '@temporalio/workflow';
import type { RequestRun } from '../request-run';
import { PRE_CHECKS, type SlotState } from '../update-request.contract';

/** How long before an agreed slot operations hear what to prepare for it. */
const NOTICE_BEFORE_MS = 24 * 60 * 60_000;

/**
 * Operations' internal notice of what to prepare, 24 hours before the agreed slot: a durable timer
 * beside the main flow, for this slot only. A slot agreed less than 24 hours ahead gets its notice
 * at once (there is still something to prepare, and less time for it); a slot that moves or is
 * given up stops its timer and the next agreed slot arms its own, so a moved slot is noticed for
 * its new time; a cancelled request gets none. What the notice lists is read when it is sent, so
 * it shows the pre-checks as they stand then. Runs started before the notice existed send none.
 */
export function noticeOperationsBeforeSlot(run: RequestRun): void {
  if (!patched('operations-notice-before-slot')) return;
  const slot = run.state.slot!;
  const superseded = () => run.state.slot !== slot || slot.status !== 'accepted' || run.state.cancellation !== undefined;
  void (async () => {
    const wait = Date.parse(slot.start) - NOTICE_BEFORE_MS - Date.now();
    if (wait > 0 && (await condition(superseded, wait))) return;
    if (superseded() || Date.now() >= Date.parse(slot.start)) return;
    run.record('operations-notification', 'preparation-notice-sent', 'system', { start: slot.start, engineer: slot.engineer });
    run.notify('slot-preparation', 'operations', slot.start, { details: preparation(run, slot) });
  })();
}

/** What the engineer needs at hand, as the notice's details (plain strings, rendered by the template). */
function preparation(run: RequestRun, slot: SlotState): Record<string, string> {
  const { request, policy, state } = run;
  const hosts = (kind: string) => request.targets.filter((t) => t.kind === kind).map((t) => t.name).join(', ');
  const checks = PRE_CHECKS.map((check) => {
    const result = state.preChecks[check];
    return `${check}: ${result === undefined ? 'open' : result.passed ? 'passed' : 'failed'}`;
  });
  return {
    engineer: slot.engineer,
    servers: hosts('application-server') || 'none',
    clients: hosts('client-host') || 'none',
    clientUpdateIncluded: request.clientUpdateIncluded ? 'yes' : 'no',
    installer: request.installer.location,
    checksum: request.installer.sha256 ?? 'none given',
    licences: request.licenceReferences.join(', ') || 'none given',
    snapshots: policy.snapshotProvider
      ? `taken automatically at the slot's start, one per target (${request.targets.length})`
      : `to be taken by hand at the slot's start and recorded, one per target (${request.targets.length})`,
    preChecks: checks.join('; '),
  };
}
