/**
 * What the managed-update workflows ask the outside world to do. The workflows proxy these by
 * type; `activities/` implements them against PostgreSQL, SMTP and the hypervisor providers.
 */
import type { ActiveUsersQuery, ActiveUsersReport, TechnicalTestInput, TechnicalTestReport } from './host-checks.contract';
import type {
  Classification,
  Contact,
  Downgrade,
  ReleaseNotes,
  Outcome,
  Severity,
  Software,
  Target,
  TimelineEntry,
  UpdateCategory,
  UpdatePolicy,
  UpdateStatus,
} from './update-request.contract';

export interface SlotAssessmentInput {
  requestId: string;
  targets: string[];
  start: string;
  end: string;
}

export interface SlotConflict {
  requestId: string;
  target: string;
  start: string;
  end: string;
}

/** Support hours are judged outside the workflow: they need time zones and holiday calendars. */
export interface SlotAssessment {
  withinSupportHours: boolean;
  /** Other requests' reservations this slot overlaps; when empty the slot is now reserved. */
  conflicts: SlotConflict[];
}

export interface SnapshotTarget {
  requestId: string;
  target: string;
}

export interface SnapshotRef extends SnapshotTarget {
  snapshotId: string;
}

/**
 * The messages to the customer's contacts, written in the customer's language; also the ones a
 * partner who performs the update receives (their slot proposal with its acceptance link, the
 * announcement, reminders and cancellation), in the same language.
 */
export const CUSTOMER_NOTIFICATION_KINDS = [
  'request-received',
  'short-notice-declined',
  'downgrade-refused',
  'slot-proposed',
  'partner-slot-proposed',
  'update-announced',
  'update-rescheduled',
  'update-reminder',
  'users-active',
  'update-done',
  'sign-off-reminder',
  'rolled-back',
  'update-completed',
  'snapshots-deleted',
  'cancelled',
  'security-advisory',
] as const;

/** The messages to operations, in English. */
export const OPERATIONS_NOTIFICATION_KINDS = [
  'new-request',
  'short-notice-review',
  'step-overdue',
  'sign-off-rejected',
  'delivery-failed',
  'host-unreachable',
  'slot-preparation',
] as const;

/** Every message the service sends; each has its text and HTML template under templates/mail/<language>/. */
export const NOTIFICATION_KINDS = [...CUSTOMER_NOTIFICATION_KINDS, ...OPERATIONS_NOTIFICATION_KINDS] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Who and what a message is about; enough for the mail activity to render without a lookup. */
export interface NotificationSubject {
  requestId: string;
  customerId: string;
  category: UpdateCategory;
  severity: Severity;
  /** With the severity, decides the priority (workflows/priority.ts); absent in older histories' messages. */
  criticalSecurity?: boolean;
  software: Software;
  timeZone: string;
  contacts: Contact[];
  /** Host names the update touches, and how long the customer expects the software to be down. */
  targets: string[];
  expectedDurationMinutes: number;
  /** Absent for requests accepted before versions were classified. */
  classification?: Classification;
  downgrade?: Downgrade;
  releaseNotes?: ReleaseNotes;
}

/**
 * The calendar event a message carries: one event per request (its UID derives from the request
 * id), revised with a higher SEQUENCE whenever the slot moves, withdrawn with METHOD:CANCEL.
 */
export interface CalendarInvitation {
  method: 'REQUEST' | 'CANCEL';
  sequence: number;
  start: string;
  end: string;
}

export interface Notification {
  kind: NotificationKind;
  audience: 'customer' | 'operations' | 'partner';
  /** For the partner: the contact it goes to (the partner who performs the update in the slot). */
  partner?: Contact;
  subject: NotificationSubject;
  /** Distinguishes repeated messages of one kind (a reminder's slot and offset, a round's number). */
  occurrence: string;
  slot?: { start: string; end: string; withinSupportHours: boolean; surcharge: boolean };
  calendar?: CalendarInvitation;
  details?: Record<string, string>;
}

/** A message of a batch finally not delivered: its place in the batch and why. */
export interface UndeliveredNotification {
  index: number;
  reason: string;
}

/** The read model row and the audit entries not yet written; writes are idempotent. */
export interface ReadModelSync {
  workflowId: string;
  state: ReadModelState;
  newEntries: TimelineEntry[];
}

/** A host workflow's new timeline entries, for the request's audit trail. */
export interface AuditAppend {
  requestId: string;
  entries: TimelineEntry[];
}

export interface ReadModelState {
  requestId: string;
  customerId: string;
  softwareName: string;
  targetVersion: string;
  category: UpdateCategory;
  /** 1 (most urgent) to 4: the operators' queue orders by it. */
  priority: number;
  status: UpdateStatus;
  outcome?: Outcome;
  currentStep: string;
  scheduledStart?: string;
  scheduledEnd?: string;
  nextDeadline?: string;
  pendingRoles: string[];
  submittedAt: string;
  version: number;
}

/** A signed-off update's software and targets, to record as installed. */
export interface InstalledVersionInput {
  requestId: string;
  customerId: string;
  software: Software;
  targets: Target[];
}

export interface UpdateRequestActivities {
  loadPolicy(): Promise<UpdatePolicy>;
  assessSlot(input: SlotAssessmentInput): Promise<SlotAssessment>;
  releaseSlot(input: { requestId: string }): Promise<void>;
  takeSnapshot(input: SnapshotTarget): Promise<{ snapshotId: string }>;
  restoreSnapshot(input: SnapshotRef): Promise<void>;
  deleteSnapshot(input: SnapshotRef): Promise<void>;
  countActiveUsers(input: { requestId: string; targets: string[] }): Promise<number>;
  /** Who has the software open, with the commands' evidence, or the host that did not answer. */
  inspectActiveUsers(input: ActiveUsersQuery): Promise<ActiveUsersReport>;
  runTechnicalTest(input: TechnicalTestInput): Promise<TechnicalTestReport>;
  /** Sends once: a retry of a message already sent (same id in the outbox) sends nothing. */
  notify(notification: Notification): Promise<void>;
  /**
   * Sends each message of a batch once, independently of the others; answers those refused for good
   * (no recipient, SMTP 5xx, in doubt). Fails, to be retried, while any is refused for now.
   */
  deliverNotifications(notifications: Notification[]): Promise<UndeliveredNotification[]>;
  /** Of a batch whose delivery failed, the messages not sent, each with its own error or else `reason`. */
  unsentNotifications(input: { notifications: Notification[]; reason: string }): Promise<UndeliveredNotification[]>;
  /** Marks a message that could not be delivered as failed in the outbox and tells operations. */
  escalateUndeliverable(input: { notification: Notification; reason: string }): Promise<void>;
  syncReadModel(sync: ReadModelSync): Promise<void>;
  appendAuditEntries(append: AuditAppend): Promise<void>;
  /** Moves the installed version of the targets to the target version; answers the systems written. */
  recordInstalledVersion(input: InstalledVersionInput): Promise<string[]>;
  /** The advisory of a critical security request: one message for each customer with the software installed. */
  securityAdvisoryNotifications(input: { requestId: string }): Promise<Notification[]>;
}
