/**
 * What the managed-update workflows ask the outside world to do. The workflows proxy these by
 * type; `activities/` implements them against PostgreSQL, SMTP and the hypervisor providers.
 */
import type {
  Contact,
  Outcome,
  Software,
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

export type NotificationKind =
  | 'request-received'
  | 'short-notice-review'
  | 'short-notice-declined'
  | 'slot-proposed'
  | 'slot-confirmed'
  | 'users-active'
  | 'update-done'
  | 'sign-off-reminder'
  | 'sign-off-escalation'
  | 'sign-off-rejected'
  | 'rolled-back'
  | 'snapshots-deleted'
  | 'cancelled';

/** Who and what a message is about; enough for the mail activity to render without a lookup. */
export interface NotificationSubject {
  requestId: string;
  customerId: string;
  category: UpdateCategory;
  software: Software;
  timeZone: string;
  contacts: Contact[];
}

export interface Notification {
  kind: NotificationKind;
  audience: 'customer' | 'operations';
  subject: NotificationSubject;
  /** Distinguishes repeated messages of one kind (a reminder's number, a slot's start). */
  occurrence: string;
  slot?: { start: string; end: string; withinSupportHours: boolean; surcharge: boolean };
  details?: Record<string, string>;
}

/** The read model row and the audit entries not yet written; writes are idempotent. */
export interface ReadModelSync {
  workflowId: string;
  state: ReadModelState;
  newEntries: TimelineEntry[];
}

export interface ReadModelState {
  requestId: string;
  customerId: string;
  softwareName: string;
  targetVersion: string;
  category: UpdateCategory;
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

export interface UpdateRequestActivities {
  loadPolicy(): Promise<UpdatePolicy>;
  assessSlot(input: SlotAssessmentInput): Promise<SlotAssessment>;
  releaseSlot(input: { requestId: string }): Promise<void>;
  takeSnapshot(input: SnapshotTarget): Promise<{ snapshotId: string }>;
  restoreSnapshot(input: SnapshotRef): Promise<void>;
  deleteSnapshot(input: SnapshotRef): Promise<void>;
  countActiveUsers(input: { requestId: string; targets: string[] }): Promise<number>;
  notify(notification: Notification): Promise<void>;
  syncReadModel(sync: ReadModelSync): Promise<void>;
}
