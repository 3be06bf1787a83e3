import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTOR_ROLES, CLASSIFICATIONS, FINAL_STATUSES, type ActorRole, type Classification, HOST_STEPS, PRE_CHECKS,
  type ActionReceipt, type HostReceipt, type HostStep, type PreCheckName, type Outcome, type PendingAction, type UpdateName, type UpdateRequest,
  type UpdateRequestState, type UpdateStatus,
} from '../../workflows/update-request.contract';
import { priorityOf, SEVERITIES, type ReleaseTrack } from '../../workflows/priority';
import type { Severity } from '../../workflows/update-request.contract';
import type { AuditEventRow, UpdateRequestRow } from './request-read-model';

// What the API answers, as classes so the OpenAPI document describes them; each view is built by
// the pure function beside it from a read-model row or the workflow's state.

export const UPDATE_STATUSES: UpdateStatus[] = ['intake', 'lead-time-review', 'downgrade-review', 'scheduling', 'pre-checks', 'waiting-for-slot', 'snapshots',
  'user-activity', 'installation', 'rollback', 'functional-testing', 'snapshot-retention', 'snapshot-deletion', ...FINAL_STATUSES];
const OUTCOMES: Outcome[] = ['signed-off', 'rolled-back', 'aborted', 'cancelled', 'declined'];


export class SoftwareSummaryView {
  @ApiProperty() name!: string;
  @ApiProperty() targetVersion!: string;
  @ApiPropertyOptional({ enum: CLASSIFICATIONS, description: 'From the installed and the target version; absent on requests accepted before versions were classified' })
  classification?: Classification;
}

export class PriorityView {
  @ApiProperty({ enum: [1, 2, 3, 4], description: '1 is the most urgent' }) rank!: number;
  @ApiProperty({ enum: SEVERITIES, description: 'The severity that decides: a critical security fix counts as blocker' }) severity!: Severity;
  @ApiProperty({ enum: ['next-service-pack', 'next-minor-release'] }) track!: ReleaseTrack;
}

export class RequestSummaryView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: SoftwareSummaryView }) software!: SoftwareSummaryView;
  @ApiProperty() category!: string;
  @ApiPropertyOptional({ type: PriorityView, description: 'From severity and criticalSecurity; absent on requests stored before the submitted request was kept' })
  priority?: PriorityView;
  @ApiProperty({ enum: UPDATE_STATUSES }) status!: UpdateStatus;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: Outcome;
  @ApiProperty({ description: 'The procedure step the request is in' }) currentStep!: string;
  @ApiPropertyOptional({ format: 'date-time' }) scheduledStart?: string;
  @ApiPropertyOptional({ format: 'date-time' }) scheduledEnd?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'The earliest deadline of a pending action' }) nextDeadline?: string;
  @ApiProperty({ enum: ACTOR_ROLES, isArray: true, description: 'Roles whose action the request waits for' }) waitingFor!: ActorRole[];
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty() version!: number;
}

export function toSummaryView(row: UpdateRequestRow): RequestSummaryView {
  return {
    requestId: row.request_id,
    customerId: row.customer_id,
    software: { name: row.software_name, targetVersion: row.target_version, ...(row.request?.classification ? { classification: row.request.classification } : {}) },
    category: row.category,
    ...(row.request ? { priority: priorityOf(row.request) } : {}),
    status: row.status,
    ...(row.outcome ? { outcome: row.outcome } : {}),
    currentStep: row.current_step,
    ...(row.scheduled_start ? { scheduledStart: row.scheduled_start.toISOString() } : {}),
    ...(row.scheduled_end ? { scheduledEnd: row.scheduled_end.toISOString() } : {}),
    ...(row.next_deadline ? { nextDeadline: row.next_deadline.toISOString() } : {}),
    waitingFor: row.pending_roles,
    submittedAt: row.submitted_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.state_version,
  };
}

/** A list's matches are counted exactly up to this many, or to the end of the page asked for when that lies further. */
export const EXACT_TOTAL_LIMIT = 1_000;

export class RequestPageView {
  @ApiProperty({ type: [RequestSummaryView] }) items!: RequestSummaryView[];
  @ApiProperty({
    description: `Requests matching the filters, over all pages, counted up to ${EXACT_TOTAL_LIMIT} or to the end of this page when that `
      + 'lies further; when more match, this bound (see totalExact)',
  })
  total!: number;
  @ApiProperty({ description: 'false when more requests match than `total`: counting stopped at the bound, later pages still list them' })
  totalExact!: boolean;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class TimelineEntryView {
  @ApiProperty({ description: 'Unique audit key' }) key!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() step!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ description: 'Actor id, or "system"' }) actor!: string;
  @ApiProperty({ enum: [...ACTOR_ROLES, 'system'] }) role!: ActorRole | 'system';
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the actor recorded; a host step names its target' })
  evidence!: Record<string, unknown>;
}

export function toTimelineView(row: AuditEventRow): TimelineEntryView {
  return { key: row.event_key, at: row.occurred_at.toISOString(), step: row.step, action: row.action, actor: row.actor, role: row.role, evidence: row.evidence };
}

export class PendingActionView {
  @ApiProperty({ description: 'The Update that performs it' }) update!: UpdateName;
  @ApiProperty({ enum: ACTOR_ROLES, isArray: true }) roles!: ActorRole[];
  @ApiPropertyOptional({ description: 'For a host step or failure decision: the target' }) target?: string;
  @ApiPropertyOptional({ enum: HOST_STEPS, description: 'For a host: the step it expects' }) step?: HostStep;
  @ApiPropertyOptional({ enum: PRE_CHECKS, description: 'For a pre-check: which one' }) check?: PreCheckName;
  @ApiPropertyOptional({ format: 'date-time', description: 'When it is due (or, for moving a slot, the cut-off)' }) deadline?: string;
  @ApiPropertyOptional({ enum: [true], description: 'Open, but not what the request waits for: cancelling, moving a slot, extending the retention' }) optional?: true;
  @ApiProperty() description!: string;
}

/**
 * An accepted action's answer, given once the workflow has acted on it: the status the request
 * moved to and what is pending now (for a cancellation: once the wind-down has begun).
 */
export class ActionReceiptView {
  @ApiProperty({ enum: UPDATE_STATUSES, description: 'The request status once the workflow has acted on the action' }) status!: UpdateStatus;
  @ApiProperty({ description: 'State version; increases with every change' }) version!: number;
  @ApiProperty({ type: [PendingActionView], description: 'What the request waits for now, and from whom' }) pendingActions!: PendingActionView[];
}

export function toActionReceiptView({ status, version, pendingActions }: ActionReceipt): ActionReceiptView {
  return { status, version, pendingActions: pendingActions.map(toPendingActionView) };
}

/** The workflow's own view, read through its Query: pending actions and the details of every step. */
export class LiveStateView {
  @ApiProperty({ type: [PendingActionView] }) pendingActions!: PendingActionView[];
  @ApiProperty({
    type: 'object', additionalProperties: true,
    description: "Lead time, the downgrade review, slot, pre-checks, snapshots, user activity, hosts, sign-off, retention, cancellation, the customer's calendar event",
  })
  steps!: Record<string, unknown>;
}

export function toLiveView(state: UpdateRequestState): LiveStateView {
  const { leadTime, downgradeReview, slot, preChecks, snapshots, userActivity, hosts, signOff, retention, cancellation, calendar } = state;
  return {
    pendingActions: state.pendingActions.map(toPendingActionView),
    steps: { leadTime, downgradeReview, slot, preChecks, snapshots, userActivity, hosts, signOff, retention, cancellation, calendar },
  };
}

function toPendingActionView({ update, roles, target, step, check, deadline, optional, description }: PendingAction): PendingActionView {
  return {
    update, roles, ...(target ? { target } : {}), ...(step ? { step } : {}), ...(check ? { check } : {}), ...(deadline ? { deadline } : {}),
    ...(optional ? { optional } : {}), description,
  };
}

export class RequestDetailView extends RequestSummaryView {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The request as submitted' })
  request?: UpdateRequest;
  @ApiProperty({ type: [TimelineEntryView], description: 'The audit trail, oldest first' }) timeline!: TimelineEntryView[];
  @ApiPropertyOptional({ type: LiveStateView, nullable: true, description: 'Live state from the workflow; null while Temporal is unreachable' })
  live!: LiveStateView | null;
}

/** A host action's answer, given once the host has acted on it. */
export class HostReceiptView {
  @ApiProperty() target!: string;
  @ApiPropertyOptional({ enum: HOST_STEPS, description: 'The step now expected on this host; absent when the host is done' })
  currentStep?: HostStep;
  @ApiProperty({ description: 'A step failed and waits for retry, rollback or abort' }) awaitingFailureDecision!: boolean;
  @ApiProperty({ type: [PendingActionView], description: 'What this host waits for now' }) pendingActions!: PendingActionView[];
}

export function toHostReceiptView({ target, currentStep, awaitingFailureDecision, pendingActions }: HostReceipt): HostReceiptView {
  return { target, ...(currentStep ? { currentStep } : {}), awaitingFailureDecision, pendingActions: pendingActions.map(toPendingActionView) };
}
