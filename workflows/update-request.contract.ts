/**
 * The managed-update workflow's message contract: the request it carries, every Update (human
 * action), the Query that returns its state, the search attributes it keeps, and their payload
 * types. The API, the worker and the tests all import this one module; it imports nothing but
 * Temporal's workflow-safe packages, so it is safe inside the workflow sandbox.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NotificationSubject } from './activity-contract';
import type { Priority } from './priority';

export const DEFAULT_TASK_QUEUE = 'managed-updates';

/** Workflow ids derive from the request id, so a repeated submission cannot start a second run. */
export function updateRequestWorkflowId(requestId: string): string {
  return `update-request-${requestId}`;
}

/** One child workflow per host and round: deterministic, so the API can address it. */
export function hostUpdateWorkflowId(parentWorkflowId: string, target: string, round: number): string {
  return `${parentWorkflowId}/host/${target}/round-${round}`;
}

// ---------------------------------------------------------------------------------------------
// The request (intake)

export type UpdateCategory = 'feature' | 'maintenance' | 'security' | 'server';
export type Severity = 'blocker' | 'high' | 'major' | 'minor';
export type TargetKind = 'application-server' | 'client-host';
/** The roles API keys and people hold. */
export type Role = 'customer' | 'operator' | 'auditor';
export const ROLES: readonly Role[] = ['customer', 'operator', 'auditor'];
/**
 * Who may act on a request: one of the roles, or `partner`, the contact of a software partner who
 * performs an update, acting only through the acceptance link mailed to them (actor id: their
 * e-mail) and only to accept a slot. No API key or person holds it.
 */
export type ActorRole = Role | 'partner';
export const ACTOR_ROLES: readonly ActorRole[] = [...ROLES, 'partner'];

export interface Software {
  name: string;
  vendor: string;
  currentVersion: string;
  targetVersion: string;
}

export interface InstallerSource {
  /** An https URL or an artifact reference such as `artifacts://vendor/app/2.4.1.msi`. */
  location: string;
  sha256?: string;
}

/**
 * Who carries the update out. On the request it is the customer's suggestion; the provider decides
 * with each slot it proposes (`ProposeSlot.performer`).
 */
export interface Performer {
  kind: 'provider' | 'partner';
  /** Required for a partner: who at the partner carries the update out. */
  partnerContact?: Contact;
}

export interface Contact {
  name: string;
  email: string;
  phone?: string;
}

export interface Target {
  /** The VM's host name; unique within a request. */
  name: string;
  kind: TargetKind;
}

/**
 * What the update is, from the installed and the target version under the vendor's version
 * scheme (the first part that differs); set by the API when it accepts the request.
 */
export const CLASSIFICATIONS = ['major-release', 'minor-release', 'service-pack', 'revision', 'first-installation'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** What the update changes, for the people who use the software; announced with the slot. */
export interface ReleaseNotes {
  /** What is new, what is fixed, what changes for users. */
  summary: string;
  /** The vendor's release notes (https). */
  link?: string;
}

/** A target version below the installed one, asked for on purpose. */
export interface Downgrade { reason: string }

export interface UpdateRequest {
  requestId: string;
  customerId: string;
  software: Software;
  category: UpdateCategory;
  severity: Severity;
  criticalSecurity: boolean;
  installer: InstallerSource;
  licenceReferences: string[];
  performer: Performer;
  /** ISO-8601 date-time with offset, and the IANA zone the customer thinks in. */
  desiredStart: string;
  timeZone: string;
  expectedDurationMinutes: number;
  targets: Target[];
  clientUpdateIncluded: boolean;
  contacts: Contact[];
  /** The software is not on the targets yet: nothing installed to match `currentVersion` against. */
  firstInstallation?: boolean;
  downgrade?: Downgrade;
  /** Required by the API; absent on requests accepted before it was. */
  releaseNotes?: ReleaseNotes;
  /** Set by the API; absent on requests accepted before versions were classified. */
  classification?: Classification;
  /** When the request was accepted by the API (ISO-8601): the lead time counts from here. */
  submittedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Policy: captured once per request by an activity, so later configuration changes never alter a
// running request's rules and replays see the values recorded in history.

export interface UpdatePolicy {
  leadTimeDays: number;
  /** The short-notice decision's deadline in policies recorded before `responseHours`; absent since. */
  shortNoticeDecisionHours?: number;
  /**
   * Per severity (see workflows/priority.ts): hours operators have for the short-notice decision and
   * for each of their steps before it is overdue and escalated. Absent in older policies.
   */
  responseHours?: Record<Severity, number>;
  rescheduleCutoffHours: number;
  userActivityRecheckMinutes: number;
  userActivityLimitMinutes: number;
  signOffReminderHours: number;
  signOffEscalationHours: number;
  snapshotRetentionDays: number;
  maxRetentionExtensionDays: number;
  /** Whether the worker has a snapshot provider / session provider, else operators act by hand. */
  snapshotProvider: boolean;
  sessionProvider: boolean;
  /**
   * Whether the session provider looks at the hosts themselves (SSH): its user counts carry the
   * commands' evidence, it runs the technical test, and it may find a host unreachable. Absent in
   * policies recorded before it existed.
   */
  hostChecks?: boolean;
  /** What the customer is told, and when, per update category. */
  communication: Record<UpdateCategory, CommunicationPolicy>;
}

/**
 * One category's announcements. A slot is announced when it is agreed, if `announce` and it lies at
 * least `announceMinDaysAhead` days ahead; reminders go out the given minutes before it starts; a
 * signed-off update is confirmed when `confirmCompletion`. Cancellations and changes to a slot the
 * customer already has in the calendar are always sent.
 */
export interface CommunicationPolicy {
  announce: boolean;
  announceMinDaysAhead: number;
  remindMinutesBefore: number[];
  confirmCompletion: boolean;
}

// ---------------------------------------------------------------------------------------------
// Actors and evidence

export interface Actor {
  id: string;
  role: ActorRole;
  /** Set for customers: the tenant they act for. */
  customerId?: string;
}

export type Evidence = Record<string, string | number | boolean | string[]>;

// ---------------------------------------------------------------------------------------------
// Updates: every human action. Each payload names its actor; validators refuse anything illegal.

export type ShortNoticeDecision = 'accept' | 'decline' | 'expedite';
export interface DecideShortNotice { actor: Actor; decision: ShortNoticeDecision; reason: string }

export interface DecideDowngrade { actor: Actor; decision: 'approve' | 'refuse'; reason: string }

export interface ProposeSlot {
  actor: Actor;
  start: string;
  durationMinutes: number;
  engineer: string;
  /**
   * The provider's decision on who carries the update out in this slot: its engineer (absent, or
   * `provider`), or a partner accompanied by the engineer, whose contact must then accept the slot too.
   */
  performer?: Performer;
}

export interface WrittenConfirmation { name: string; statement: string; confirmedAt: string }
export interface AcceptSlot { actor: Actor; writtenConfirmation?: WrittenConfirmation }

export interface RequestAnotherSlot { actor: Actor; reason: string; preferredStart?: string }

/** The partner's acceptance of the proposal it was sent (`SlotState.proposal`); a newer one makes it stale. */
export interface AcceptSlotAsPartner { actor: Actor; proposal: number }

export type PreCheckName = 'system-requirements' | 'compatibility' | 'prerequisites';
export const PRE_CHECKS: readonly PreCheckName[] = ['system-requirements', 'compatibility', 'prerequisites'];
export interface RecordPreCheck {
  actor: Actor;
  check: PreCheckName;
  passed: boolean;
  notes: string;
  /** Required when the check failed: go back to scheduling, or cancel the request. */
  onFailure?: 'reschedule' | 'cancel';
}

export interface SnapshotIdentity { target: string; snapshotId: string }
export interface RecordSnapshots { actor: Actor; snapshots: SnapshotIdentity[] }

export interface ReportUserActivity { actor: Actor; activeUsers: number; notes: string }
/** `recheck` only when the last check could not reach a host; `proceed` only when users are active. */
export type UserActivityDecision = 'proceed' | 'postpone' | 'recheck';
export const USER_ACTIVITY_DECISIONS: readonly UserActivityDecision[] = ['proceed', 'postpone', 'recheck'];
export interface ResolveUserActivity { actor: Actor; decision: UserActivityDecision; reason: string }

export type HostStep = 'install' | 'configure' | 'technical-test';
export const HOST_STEPS: readonly HostStep[] = ['install', 'configure', 'technical-test'];
/** Who carried a host step out: the provider's engineer, or the partner with the engineer beside them. */
export type CarriedOutBy = 'engineer' | 'partner-with-engineer';
export const CARRIED_OUT_BY: readonly CarriedOutBy[] = ['engineer', 'partner-with-engineer'];
export interface TechnicalChecklist { applicationStarts: boolean; servicesRunning: boolean; eventLogClean: boolean }
export interface RecordHostStep {
  actor: Actor;
  target: string;
  step: HostStep;
  passed: boolean;
  notes: string;
  /** Required for the technical test: the checklist the operator filled in. */
  checklist?: TechnicalChecklist;
  /** Required where a partner performs the update; elsewhere only `engineer` (the default). */
  carriedOutBy?: CarriedOutBy;
}
export type HostFailureDecision = 'retry' | 'rollback' | 'abort';
export interface DecideHostFailure { actor: Actor; target: string; decision: HostFailureDecision; reason: string }
/** The engineer's confirmation of an automated technical test that passed. */
export interface ConfirmTechnicalTest { actor: Actor; target: string; notes?: string; carriedOutBy?: CarriedOutBy }

export interface ConfirmSnapshots { actor: Actor; snapshotIds: string[]; notes: string }

export interface SignOff { actor: Actor; notes?: string }
export interface RejectUpdate { actor: Actor; description: string }
export interface ResolveRejection { actor: Actor; decision: 'fix' | 'rollback'; targets?: string[]; reason: string }

export interface ExtendRetention { actor: Actor; days: number; reason: string }
export interface CancelRequest { actor: Actor; reason: string }

/**
 * What an accepted Update returns once the workflow has acted on it: the status it moved to and
 * the actions now pending (what the caller may need to do next). Small on purpose, because every
 * result is kept in history; the full state is one Query away.
 */
export interface ActionReceipt { status: UpdateStatus; version: number; pendingActions: PendingAction[] }
/** A host's receipt: the step now expected on that host (absent when the host is done). */
export interface HostReceipt { target: string; currentStep?: HostStep; awaitingFailureDecision: boolean; pendingActions: PendingAction[] }

export const decideShortNoticeUpdate = defineUpdate<ActionReceipt, [DecideShortNotice]>('decideShortNotice');
export const decideDowngradeUpdate = defineUpdate<ActionReceipt, [DecideDowngrade]>('decideDowngrade');
export const proposeSlotUpdate = defineUpdate<ActionReceipt, [ProposeSlot]>('proposeSlot');
export const acceptSlotUpdate = defineUpdate<ActionReceipt, [AcceptSlot]>('acceptSlot');
export const requestAnotherSlotUpdate = defineUpdate<ActionReceipt, [RequestAnotherSlot]>('requestAnotherSlot');
export const acceptSlotAsPartnerUpdate = defineUpdate<ActionReceipt, [AcceptSlotAsPartner]>('acceptSlotAsPartner');
export const recordPreCheckUpdate = defineUpdate<ActionReceipt, [RecordPreCheck]>('recordPreCheck');
export const recordSnapshotsUpdate = defineUpdate<ActionReceipt, [RecordSnapshots]>('recordSnapshots');
export const reportUserActivityUpdate = defineUpdate<ActionReceipt, [ReportUserActivity]>('reportUserActivity');
export const resolveUserActivityUpdate = defineUpdate<ActionReceipt, [ResolveUserActivity]>('resolveUserActivity');
export const confirmSnapshotsRestoredUpdate = defineUpdate<ActionReceipt, [ConfirmSnapshots]>('confirmSnapshotsRestored');
export const confirmSnapshotsDeletedUpdate = defineUpdate<ActionReceipt, [ConfirmSnapshots]>('confirmSnapshotsDeleted');
export const signOffUpdate = defineUpdate<ActionReceipt, [SignOff]>('signOff');
export const rejectUpdateUpdate = defineUpdate<ActionReceipt, [RejectUpdate]>('rejectUpdate');
export const resolveRejectionUpdate = defineUpdate<ActionReceipt, [ResolveRejection]>('resolveRejection');
export const extendRetentionUpdate = defineUpdate<ActionReceipt, [ExtendRetention]>('extendRetention');
export const cancelRequestUpdate = defineUpdate<ActionReceipt, [CancelRequest]>('cancelRequest');

/** Sent to the host's child workflow (its id is in the parent's pending actions). */
export const recordHostStepUpdate = defineUpdate<HostReceipt, [RecordHostStep]>('recordHostStep');
export const decideHostFailureUpdate = defineUpdate<HostReceipt, [DecideHostFailure]>('decideHostFailure');
export const confirmTechnicalTestUpdate = defineUpdate<HostReceipt, [ConfirmTechnicalTest]>('confirmTechnicalTest');

export const getStateQuery = defineQuery<UpdateRequestState>('getState');
export const getHostStateQuery = defineQuery<HostUpdateState>('getHostState');

// ---------------------------------------------------------------------------------------------
// State (what the Query returns)

export type UpdateStatus =
  | 'intake'
  | 'lead-time-review'
  | 'downgrade-review'
  | 'scheduling'
  | 'pre-checks'
  | 'waiting-for-slot'
  | 'snapshots'
  | 'user-activity'
  | 'installation'
  | 'rollback'
  | 'functional-testing'
  | 'snapshot-retention'
  | 'snapshot-deletion'
  | 'completed'
  | 'rolled-back'
  | 'aborted'
  | 'cancelled'
  | 'declined';

export const FINAL_STATUSES: readonly UpdateStatus[] = ['completed', 'rolled-back', 'aborted', 'cancelled', 'declined'];

/** The procedure's steps, as the timeline names them. */
export type StepName =
  | 'intake'
  | 'lead-time'
  | 'downgrade'
  | 'scheduling'
  | 'pre-checks'
  | 'slot-wait'
  | 'snapshots'
  | 'user-activity'
  | 'installation'
  | HostStep
  | 'rollback'
  | 'customer-notification'
  | 'operations-notification'
  | 'sign-off'
  | 'snapshot-retention'
  | 'snapshot-deletion'
  | 'cancellation';

export interface TimelineEntry {
  /** Unique across the request and its host workflows: `<workflow id>#<seq>`; the audit key. */
  key: string;
  at: string;
  step: StepName;
  action: string;
  actor: string;
  role: ActorRole | 'system';
  target?: string;
  evidence: Evidence;
}

/** An operator's verdict on a declared downgrade. */
export interface DowngradeReviewState {
  decision?: 'approved' | 'refused';
  by?: string;
  reason?: string;
}

export interface LeadTimeState {
  verdict: 'guaranteed' | 'short-notice';
  /** Earliest start the lead time allows for this request (ISO). */
  earliestGuaranteedStart: string;
  decision?: 'accepted' | 'declined' | 'expedited' | 'timed-out';
  decideBy?: string;
  guaranteed: boolean;
}

export interface SlotState {
  start: string;
  end: string;
  engineer: string;
  withinSupportHours: boolean;
  surcharge: boolean;
  /** `accepted` once everyone who must agree has (the customer, and the partner who performs it). */
  status: 'proposed' | 'accepted';
  proposedAt: string;
  proposedBy: string;
  /** The customer's acceptance. */
  acceptedAt?: string;
  acceptedBy?: string;
  writtenConfirmation?: WrittenConfirmation;
  /** Counts the request's proposals (1, 2, …): a partner's acceptance names the one it was sent. Absent before partners. */
  proposal?: number;
  /** The provider's decision for this slot; absent: its engineer. */
  performer?: Performer;
  /** A partner performing the update must accept the slot too. */
  partnerAcceptedAt?: string;
  partnerAcceptedBy?: string;
}

/** A check on a host that could not be done: the host did not answer over SSH, or the check could not run. */
export interface CheckNotDone { target: string; error: string; attempts?: number; at: string }

export interface PreCheckResult { passed: boolean; notes: string; by: string; at: string }

export interface SnapshotRecord {
  target: string;
  snapshotId: string;
  takenAt: string;
  takenBy: string;
  status: 'present' | 'restored' | 'deleted';
  restoredAt?: string;
  deletedAt?: string;
}

export interface UserActivityState {
  firstCheckAt: string;
  lastCheckAt?: string;
  activeUsers?: number;
  checks: number;
  customerNotified: boolean;
  /** The last check could not look at a host (SSH): the engineer rechecks, reports by hand or postpones. */
  unreachable?: CheckNotDone;
  /** From this time the operator may proceed (with a reason) or postpone. */
  overrideAllowedAt: string;
  resolution?: { decision: 'proceed' | 'postpone'; reason: string; by: string };
}

export type HostRunStatus = 'pending' | 'running' | 'succeeded' | 'failed';
export interface HostRun {
  target: string;
  kind: TargetKind;
  round: number;
  workflowId: string;
  status: HostRunStatus;
  failure?: { step: HostStep; decision: 'rollback' | 'abort'; reason: string };
}

export interface Rejection {
  at: string;
  by: string;
  description: string;
  resolution?: 'fix' | 'rollback';
  /** For a fix: the targets installed again. */
  fixTargets?: string[];
}

export interface SignOffState {
  requestedAt: string;
  remindersSent: number;
  escalatedAt?: string;
  signedOffAt?: string;
  signedOffBy?: string;
  rejections: Rejection[];
}

/** The event the customer's calendar holds, as last sent: a change goes out with a higher sequence. */
export interface CalendarState {
  sequence: number;
  start: string;
  end: string;
}

export interface RetentionState {
  deleteAfter: string;
  extension?: { days: number; reason: string; by: string };
}

export type UpdateName =
  | 'decideShortNotice'
  | 'decideDowngrade'
  | 'proposeSlot'
  | 'acceptSlot'
  | 'requestAnotherSlot'
  | 'acceptSlotAsPartner'
  | 'recordPreCheck'
  | 'recordSnapshots'
  | 'reportUserActivity'
  | 'resolveUserActivity'
  | 'recordHostStep'
  | 'decideHostFailure'
  | 'confirmTechnicalTest'
  | 'confirmSnapshotsRestored'
  | 'confirmSnapshotsDeleted'
  | 'signOff'
  | 'rejectUpdate'
  | 'resolveRejection'
  | 'extendRetention'
  | 'cancelRequest';

export interface PendingAction {
  update: UpdateName;
  roles: ActorRole[];
  /** The workflow to send it to, when it is not the request's own (a host's child workflow). */
  workflowId?: string;
  target?: string;
  /** For a pre-check: which one. */
  check?: PreCheckName;
  /** For a host: the step it expects. */
  step?: HostStep;
  /** Open, but not what the request waits for (cancelling, moving a slot, extending retention). */
  optional?: true;
  deadline?: string;
  description: string;
}

export type Outcome = 'signed-off' | 'rolled-back' | 'aborted' | 'cancelled' | 'declined';

export interface UpdateRequestState {
  request: UpdateRequest;
  policy?: UpdatePolicy;
  status: UpdateStatus;
  outcome?: Outcome;
  leadTime?: LeadTimeState;
  downgradeReview?: DowngradeReviewState;
  slot?: SlotState;
  preChecks: Partial<Record<PreCheckName, PreCheckResult>>;
  snapshots: SnapshotRecord[];
  userActivity?: UserActivityState;
  hosts: HostRun[];
  signOff?: SignOffState;
  retention?: RetentionState;
  cancellation?: { by: string; role: ActorRole; reason: string; at: string };
  calendar?: CalendarState;
  /** Priority and release track, from severity and criticalSecurity (workflows/priority.ts). */
  priority: Priority;
  /** While the next move is the operators': when it is due (the response time of the priority). */
  respondBy?: string;
  pendingActions: PendingAction[];
  timeline: TimelineEntry[];
  /** Increases with every change; lets the read model ignore stale writes. */
  version: number;
}

// ---------------------------------------------------------------------------------------------
// The host child workflow

export interface HostUpdateInput {
  requestId: string;
  target: Target;
  round: number;
  software: Software;
  /** The session provider runs the technical test (SESSION_PROVIDER=ssh); the engineer confirms it. */
  automatedTechnicalTest?: boolean;
  /** With the automated test: what operations is told about when this host cannot be checked. */
  notificationSubject?: NotificationSubject;
  /** A partner performs the update: every step names who carried it out. Absent: the provider's engineer. */
  performedByPartner?: boolean;
}

export interface HostStepRecord {
  step: HostStep;
  attempt: number;
  passed: boolean;
  notes: string;
  checklist?: TechnicalChecklist;
  /** Absent on steps recorded before it was asked. */
  carriedOutBy?: CarriedOutBy;
  by: string;
  at: string;
}

export interface HostUpdateState {
  input: HostUpdateInput;
  currentStep?: HostStep;
  awaitingFailureDecision: boolean;
  /**
   * The automated technical test: running on the host, passed and waiting for the engineer's
   * confirmation, or not done because the host could not be checked (then the engineer decides).
   */
  automatedTest?: { status: 'running' } | { status: 'passed' } | ({ status: 'not-done' } & CheckNotDone);
  /** What this host waits for now (the request's own pending actions point here). */
  pendingActions: PendingAction[];
  records: HostStepRecord[];
  result?: HostUpdateResult;
  timeline: TimelineEntry[];
}

export type HostUpdateResult =
  | { outcome: 'succeeded'; target: string; records: HostStepRecord[]; timeline: TimelineEntry[] }
  | {
      outcome: 'rollback' | 'abort';
      target: string;
      failedStep: HostStep;
      reason: string;
      records: HostStepRecord[];
      timeline: TimelineEntry[];
    };

// ---------------------------------------------------------------------------------------------
// Starting a request

export interface UpdateRequestResult {
  requestId: string;
  outcome: Outcome;
  finishedAt: string;
  /**
   * The whole audit timeline, hosts' entries included: it lands in the history's completion event,
   * so the archived (hash-chained) history itself carries the trail the audit table is checked against.
   */
  timeline: TimelineEntry[];
}

// ---------------------------------------------------------------------------------------------
// Search attributes (registered on every Temporal namespace the service uses)

export const CustomerIdAttribute = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const UpdateStatusAttribute = defineSearchAttributeKey('UpdateStatus', SearchAttributeType.KEYWORD);
export const SoftwareAttribute = defineSearchAttributeKey('Software', SearchAttributeType.KEYWORD);
export const ScheduledStartAttribute = defineSearchAttributeKey('ScheduledStart', SearchAttributeType.DATETIME);

/** Every custom search attribute with its type, for registering them on a namespace. */
export const SEARCH_ATTRIBUTES = [CustomerIdAttribute, UpdateStatusAttribute, SoftwareAttribute, ScheduledStartAttribute];

/** The search attributes a request starts with; the workflow keeps status and schedule current. */
export function initialSearchAttributes(request: UpdateRequest) {
  return [
    { key: CustomerIdAttribute, value: request.customerId },
    { key: SoftwareAttribute, value: `${request.software.name} ${request.software.targetVersion}` },
    { key: UpdateStatusAttribute, value: 'intake' },
  ];
}
