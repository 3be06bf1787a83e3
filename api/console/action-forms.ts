import type { HostProgress } from './console-queries.service';
import {
  CARRIED_OUT_BY, PRE_CHECKS,
  type ActorRole, type PendingAction, type SlotState, type SnapshotRecord, type UpdateName,
} from '../../workflows/update-request.contract';

/**
 * The console's action forms, generated from the pending actions the workflow declares: one form
 * per Update (per target for host steps), its fields those of the Update's payload in the
 * contract, posted as JSON to the API's own route for it. A name this file does not know yet gets
 * its description and no form, so a new Update never gets a wrong one.
 */
export interface FieldView {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'checkbox' | 'number' | 'datetime' | 'hidden';
  /** How the console's script turns the input into JSON: text by default. */
  type?: 'number' | 'boolean' | 'list' | 'datetime' | 'now';
  required?: boolean;
  value?: string;
  hint?: string;
  options?: Array<{ value: string; label: string }>;
}

export interface ActionFormView {
  /** Unique on the page: `form-<Update>`, or `form-host-<target>` for a host's form. */
  id: string;
  update: UpdateName;
  title: string;
  descriptions: string[];
  deadline?: string;
  /** The API route, relative to the request's path; undefined for an Update the console has no form for. */
  route?: string;
  fields: FieldView[];
  submitLabel: string;
}

/** What the forms need to know beyond the pending actions: the slot, the snapshots, each running host's step. */
export interface ActionContext {
  slot?: SlotState;
  /** Pre-checks already recorded: the form offers only the others. */
  preChecksDone: string[];
  snapshots: SnapshotRecord[];
  targets: string[];
  hosts: Map<string, HostProgress>;
  /** The user-activity check could not reach a host: the decision is to check again or postpone. */
  userActivityUnreachable?: boolean;
}

const REASON: FieldView = { name: 'reason', label: 'Reason', kind: 'textarea', required: true };
const NOTES: FieldView = { name: 'notes', label: 'Notes', kind: 'textarea', required: true };
const PASSED: FieldView = {
  name: 'passed', label: 'Result', kind: 'select', type: 'boolean', required: true,
  options: [{ value: 'true', label: 'passed' }, { value: 'false', label: 'failed' }],
};

function choice(name: string, label: string, values: readonly string[], required = true): FieldView {
  return { name, label, kind: 'select', required, options: values.map((value) => ({ value, label: value })) };
}

function snapshotIds(context: ActionContext): FieldView {
  return {
    name: 'snapshotIds', label: 'Snapshot ids (comma-separated)', kind: 'text', type: 'list', required: true,
    value: context.snapshots.map((s) => s.snapshotId).join(', '),
  };
}

type FormSpec = Omit<ActionFormView, 'id' | 'update' | 'descriptions' | 'deadline'>;

/** Each Update's form; the ones with a target are built per host. */
function formFor(action: PendingAction, context: ActionContext): FormSpec | undefined {
  switch (action.update) {
    case 'decideShortNotice':
      return { title: 'Short-notice decision', route: 'short-notice-decision', submitLabel: 'Record decision',
        fields: [choice('decision', 'Decision', ['accept', 'decline', 'expedite']), REASON] };
    case 'decideDowngrade':
      return { title: 'Downgrade approval', route: 'downgrade-decision', submitLabel: 'Record decision',
        fields: [choice('decision', 'Decision', ['approve', 'refuse']), REASON] };
    case 'proposeSlot':
      return { title: 'Propose a slot', route: 'slot-proposals', submitLabel: 'Propose slot', fields: [
        { name: 'start', label: 'Start (your local time)', kind: 'datetime', type: 'datetime', required: true },
        { name: 'durationMinutes', label: 'Duration (minutes)', kind: 'number', type: 'number', required: true, value: '120' },
        { name: 'engineer', label: 'Engineer', kind: 'text', required: true },
        { ...choice('performer.kind', 'Performed by', ['provider', 'partner']), hint: "A partner works with the engineer and must accept the slot too" },
        { name: 'performer.partnerContact.name', label: 'Partner contact name (for a partner)', kind: 'text' },
        { name: 'performer.partnerContact.email', label: 'Partner contact e-mail (for a partner)', kind: 'text' },
      ] };
    case 'acceptSlot':
      return context.slot && !context.slot.withinSupportHours
        ? { title: 'Accept the off-hours slot', route: 'slot-acceptance', submitLabel: 'Accept slot and surcharge', fields: [
            { name: 'writtenConfirmation.name', label: 'Your name (written confirmation)', kind: 'text', required: true },
            { name: 'writtenConfirmation.statement', label: 'Statement', kind: 'textarea', required: true,
              value: 'We accept the slot outside support hours and its surcharge.' },
            { name: 'writtenConfirmation.confirmedAt', label: 'Confirmed at', kind: 'hidden', type: 'now' },
          ] }
        : { title: 'Accept the slot', route: 'slot-acceptance', submitLabel: 'Accept slot', fields: [] };
    case 'requestAnotherSlot':
      return { title: 'Ask for another slot', route: 'slot-change-requests', submitLabel: 'Ask for another slot', fields: [
        REASON,
        { name: 'preferredStart', label: 'Preferred start (optional, your local time)', kind: 'datetime', type: 'datetime' },
      ] };
    case 'recordPreCheck':
      return { title: 'Record a pre-check', route: 'pre-checks', submitLabel: 'Record pre-check', fields: [
        choice('check', 'Check', PRE_CHECKS.filter((check) => !context.preChecksDone.includes(check))), PASSED, NOTES,
        { ...choice('onFailure', 'When failed', ['reschedule', 'cancel'], false), hint: 'Required when the check failed' },
      ] };
    case 'recordSnapshots':
      return { title: 'Record snapshots', route: 'snapshots', submitLabel: 'Record snapshots', fields: context.targets.flatMap((target, i) => [
        { name: `snapshots.${i}.target`, label: 'Target', kind: 'hidden', value: target } satisfies FieldView,
        { name: `snapshots.${i}.snapshotId`, label: `Snapshot id of ${target}`, kind: 'text', required: true } satisfies FieldView,
      ]) };
    case 'reportUserActivity':
      return { title: 'Report user activity', route: 'user-activity-reports', submitLabel: 'Report', fields: [
        { name: 'activeUsers', label: 'Active users', kind: 'number', type: 'number', required: true, value: '0' }, NOTES,
      ] };
    case 'resolveUserActivity':
      return context.userActivityUnreachable
        ? { title: 'A host could not be checked', route: 'user-activity-resolution', submitLabel: 'Record decision',
            fields: [choice('decision', 'Decision', ['recheck', 'postpone']), REASON] }
        : { title: 'Users are still active', route: 'user-activity-resolution', submitLabel: 'Record decision',
            fields: [choice('decision', 'Decision', ['proceed', 'postpone']), REASON] };
    case 'recordHostStep':
    case 'decideHostFailure':
    case 'confirmTechnicalTest':
      return hostForm(action, context);
    case 'confirmSnapshotsRestored':
      return { title: 'Confirm snapshots restored', route: 'snapshots/restored', submitLabel: 'Confirm restored', fields: [snapshotIds(context), NOTES] };
    case 'confirmSnapshotsDeleted':
      return { title: 'Confirm snapshots deleted', route: 'snapshots/deleted', submitLabel: 'Confirm deleted', fields: [snapshotIds(context), NOTES] };
    case 'signOff':
      return { title: 'Sign off', route: 'sign-off', submitLabel: 'Sign off the update',
        fields: [{ name: 'notes', label: 'Notes (optional)', kind: 'textarea' }] };
    case 'rejectUpdate':
      return { title: 'Report a failure', route: 'rejection', submitLabel: 'Report failure',
        fields: [{ name: 'description', label: 'What failed in your tests', kind: 'textarea', required: true }] };
    case 'resolveRejection':
      return { title: 'Resolve the reported failure', route: 'rejection-resolution', submitLabel: 'Record decision', fields: [
        choice('decision', 'Decision', ['fix', 'rollback']),
        { name: 'targets', label: 'Targets to fix (comma-separated)', kind: 'text', type: 'list', value: context.targets.join(', ') },
        REASON,
      ] };
    case 'extendRetention':
      return { title: 'Extend snapshot retention', route: 'retention-extension', submitLabel: 'Extend retention', fields: [
        { name: 'days', label: 'Days', kind: 'number', type: 'number', required: true }, REASON,
      ] };
    case 'cancelRequest':
      return { title: 'Cancel the request', route: 'cancellation', submitLabel: 'Cancel request', fields: [REASON] };
    default:
      return undefined;
  }
}

/**
 * A running host's form: its current step (the technical test with its checklist), the
 * confirmation of an automated technical test that passed, or the decision on a failure (an
 * automated test that could not check the host included). None while the automated test runs.
 */
function hostForm(action: PendingAction, context: ActionContext): FormSpec | undefined {
  const target = action.target;
  const host = target === undefined ? undefined : context.hosts.get(target);
  if (!target || !host) return undefined;
  const base = `hosts/${encodeURIComponent(target)}`;
  if (host.awaitingFailureDecision) {
    return { title: `Failure on ${target}`, route: `${base}/failure-decision`, submitLabel: 'Record decision',
      fields: [choice('decision', 'Decision', ['retry', 'rollback', 'abort']), REASON] };
  }
  // Where a partner performs the update, every step says who carried it out.
  const carriedOutBy: FieldView[] = host.performedByPartner ? [choice('carriedOutBy', 'Carried out by', CARRIED_OUT_BY)] : [];
  if (host.automatedTest === 'passed') {
    return { title: `${target}: confirm the technical test`, route: `${base}/technical-test-confirmation`, submitLabel: 'Confirm technical test',
      fields: [{ name: 'notes', label: 'Notes (optional)', kind: 'textarea' }, ...carriedOutBy] };
  }
  if (!host.currentStep || host.automatedTest === 'running') return undefined;
  const checklist: FieldView[] = host.currentStep === 'technical-test'
    ? [['applicationStarts', 'The application starts'], ['servicesRunning', 'Its services run'], ['eventLogClean', 'The event log is clean']]
        .map(([name, label]) => ({ name: `checklist.${name}`, label, kind: 'checkbox', type: 'boolean' }) satisfies FieldView)
    : [];
  return { title: `${target}: ${host.currentStep}`, route: `${base}/steps`, submitLabel: `Record ${host.currentStep}`, fields: [
    { name: 'step', label: 'Step', kind: 'hidden', value: host.currentStep }, PASSED, NOTES, ...checklist, ...carriedOutBy,
  ] };
}

/** The forms for what `role` may do now, in the order the workflow declared it. */
export function actionForms(pending: PendingAction[], role: ActorRole, context: ActionContext): ActionFormView[] {
  const forms = new Map<string, ActionFormView>();
  for (const action of pending.filter((a) => a.roles.includes(role))) {
    // A host's actions (its step, the decision on its failure) share one form, shaped by the host's own state.
    const key = action.target ? `host-${action.target}` : action.update;
    const existing = forms.get(key);
    if (existing) {
      existing.descriptions.push(action.description);
      continue;
    }
    const spec = formFor(action, context);
    forms.set(key, {
      id: `form-${key}`,
      update: action.update,
      descriptions: [action.description],
      ...(action.deadline ? { deadline: action.deadline } : {}),
      ...(spec ?? { title: action.update, fields: [], submitLabel: '' }),
    });
  }
  return [...forms.values()];
}
