import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import {
  CARRIED_OUT_BY, HOST_STEPS, PRE_CHECKS, USER_ACTIVITY_DECISIONS, type CarriedOutBy,
  type AcceptSlot, type CancelRequest, type ConfirmSnapshots, type ConfirmTechnicalTest, type DecideDowngrade, type DecideHostFailure, type DecideShortNotice, type ExtendRetention,
  type HostFailureDecision, type HostStep, type PreCheckName, type ProposeSlot, type RecordHostStep, type RecordPreCheck,
  type RecordSnapshots, type RejectUpdate, type ReportUserActivity, type RequestAnotherSlot, type ResolveRejection,
  type ResolveUserActivity, type ShortNoticeDecision, type SignOff, type SnapshotIdentity, type TechnicalChecklist,
  type UserActivityDecision, type WrittenConfirmation,
} from '../../workflows/update-request.contract';
import { IsInstantWithOffset } from '../validation/instant.decorators';
import { IsAbsentOr, IsNestedObject, IsText } from '../validation/shape.decorators';
import { PerformerDto } from './submit-request.dto';

/**
 * The bodies of the action routes: each is an Update's payload without the actor, whom the guard
 * supplies. These check shape only; whether the action is allowed now is the workflow
 * validator's decision (a refusal is a 409 with its reason).
 */
type Body<T> = Omit<T, 'actor'>;

const TEXT = 4000;
/** Far beyond any real count, small enough to store and compute with; the workflow applies the policy's limits. */
const MAX_USERS = 100_000;
const MAX_DAYS = 3650;

export class DecideShortNoticeBody implements Body<DecideShortNotice> {
  @ApiProperty({ enum: ['accept', 'decline', 'expedite'], description: 'expedite: critical security patches only' })
  @IsIn(['accept', 'decline', 'expedite']) decision!: ShortNoticeDecision;
  @ApiProperty() @IsText(1, TEXT) reason!: string;
}

export class DecideDowngradeBody implements Body<DecideDowngrade> {
  @ApiProperty({ enum: ['approve', 'refuse'], description: 'refuse: the request is declined and the customer told why' })
  @IsIn(['approve', 'refuse']) decision!: DecideDowngrade['decision'];
  @ApiProperty() @IsText(1, TEXT) reason!: string;
}

export class ProposeSlotBody implements Body<ProposeSlot> {
  @ApiProperty({ example: '2026-12-14T08:00:00Z' }) @IsInstantWithOffset() start!: string;
  @ApiProperty({ minimum: 1, maximum: 10_080 }) @Max(10_080) @Min(1) @IsInt() durationMinutes!: number;
  @ApiProperty({ example: 'Erik Engineer' }) @IsText(1, 200) engineer!: string;
  @ApiPropertyOptional({
    type: PerformerDto,
    description: "Who carries the update out in this slot (the provider decides; the request's performer is the customer's suggestion). "
      + "Absent or provider: the engineer. A partner (with partnerContact) is accompanied by the engineer and must accept the slot too, through the link mailed to them",
  })
  @IsNestedObject(() => PerformerDto) @IsAbsentOr()
  performer?: PerformerDto;
}

export class WrittenConfirmationDto implements WrittenConfirmation {
  @ApiProperty({ description: 'Who confirms in writing' }) @IsText(1, 200) name!: string;
  @ApiProperty({ description: 'The statement accepting the off-hours slot and its surcharge' }) @IsText(1, TEXT) statement!: string;
  @ApiProperty() @IsInstantWithOffset() confirmedAt!: string;
}

export class AcceptSlotBody implements Body<AcceptSlot> {
  @ApiPropertyOptional({ type: WrittenConfirmationDto, description: 'Required when the slot is outside support hours' })
  @IsNestedObject(() => WrittenConfirmationDto) @IsAbsentOr()
  writtenConfirmation?: WrittenConfirmationDto;
}

export class RequestAnotherSlotBody implements Body<RequestAnotherSlot> {
  @ApiProperty() @IsText(1, TEXT) reason!: string;
  @ApiPropertyOptional() @IsInstantWithOffset() @IsAbsentOr() preferredStart?: string;
}

export class RecordPreCheckBody implements Body<RecordPreCheck> {
  @ApiProperty({ enum: PRE_CHECKS }) @IsIn([...PRE_CHECKS]) check!: PreCheckName;
  @ApiProperty() @IsBoolean() passed!: boolean;
  @ApiProperty() @IsText(1, TEXT) notes!: string;
  @ApiPropertyOptional({ enum: ['reschedule', 'cancel'], description: 'Required when the check failed' })
  @IsIn(['reschedule', 'cancel']) @IsAbsentOr() onFailure?: 'reschedule' | 'cancel';
}

export class SnapshotIdentityDto implements SnapshotIdentity {
  @ApiProperty() @IsText(1, 253) target!: string;
  @ApiProperty() @IsText(1, 500) snapshotId!: string;
}

export class RecordSnapshotsBody implements Body<RecordSnapshots> {
  @ApiProperty({ type: [SnapshotIdentityDto] })
  @IsNestedObject(() => SnapshotIdentityDto, { each: true }) @ArrayMaxSize(500) @ArrayMinSize(1) @IsArray()
  snapshots!: SnapshotIdentityDto[];
}

export class ReportUserActivityBody implements Body<ReportUserActivity> {
  @ApiProperty({ minimum: 0, maximum: MAX_USERS, description: 'Users logged on to the targets' }) @Max(MAX_USERS) @Min(0) @IsInt() activeUsers!: number;
  @ApiProperty() @IsText(1, TEXT) notes!: string;
}

export class ResolveUserActivityBody implements Body<ResolveUserActivity> {
  @ApiProperty({ enum: USER_ACTIVITY_DECISIONS, description: '`proceed` while users are active after the limit; `recheck` when a host could not be checked' })
  @IsIn([...USER_ACTIVITY_DECISIONS]) decision!: UserActivityDecision;
  @ApiProperty() @IsText(1, TEXT) reason!: string;
}

export class TechnicalChecklistDto implements TechnicalChecklist {
  @ApiProperty() @IsBoolean() applicationStarts!: boolean;
  @ApiProperty() @IsBoolean() servicesRunning!: boolean;
  @ApiProperty() @IsBoolean() eventLogClean!: boolean;
}

/** The target comes from the path. */
export class RecordHostStepBody implements Omit<Body<RecordHostStep>, 'target'> {
  @ApiProperty({ enum: HOST_STEPS }) @IsIn([...HOST_STEPS]) step!: HostStep;
  @ApiProperty() @IsBoolean() passed!: boolean;
  @ApiProperty() @IsText(1, TEXT) notes!: string;
  @ApiPropertyOptional({ type: TechnicalChecklistDto, description: 'Required for the technical test' })
  @IsNestedObject(() => TechnicalChecklistDto) @IsAbsentOr()
  checklist?: TechnicalChecklistDto;
  @ApiPropertyOptional({ enum: CARRIED_OUT_BY, description: 'Who carried the step out: required where a partner performs the update; otherwise only engineer (the default)' })
  @IsIn([...CARRIED_OUT_BY]) @IsAbsentOr()
  carriedOutBy?: CarriedOutBy;
}

export class DecideHostFailureBody implements Omit<Body<DecideHostFailure>, 'target'> {
  @ApiProperty({ enum: ['retry', 'rollback', 'abort'] }) @IsIn(['retry', 'rollback', 'abort']) decision!: HostFailureDecision;
  @ApiProperty() @IsText(1, TEXT) reason!: string;
}

/** The target comes from the path. */
export class ConfirmTechnicalTestBody implements Omit<Body<ConfirmTechnicalTest>, 'target'> {
  @ApiPropertyOptional({ description: "The engineer's notes on the automated test's evidence" }) @IsText(1, TEXT) @IsAbsentOr() notes?: string;
  @ApiPropertyOptional({ enum: CARRIED_OUT_BY, description: 'Who carried the step out: required where a partner performs the update; otherwise only engineer (the default)' })
  @IsIn([...CARRIED_OUT_BY]) @IsAbsentOr()
  carriedOutBy?: CarriedOutBy;
}

export class ConfirmSnapshotsBody implements Body<ConfirmSnapshots> {
  @ApiProperty({ type: [String] }) @IsText(1, 500, { each: true }) @ArrayMaxSize(500) @IsArray() snapshotIds!: string[];
  @ApiProperty() @IsText(1, TEXT) notes!: string;
}

export class SignOffBody implements Body<SignOff> {
  @ApiPropertyOptional() @IsText(1, TEXT) @IsAbsentOr() notes?: string;
}

export class RejectUpdateBody implements Body<RejectUpdate> {
  @ApiProperty({ description: 'What failed in the functional tests' }) @IsText(1, TEXT) description!: string;
}

export class ResolveRejectionBody implements Body<ResolveRejection> {
  @ApiProperty({ enum: ['fix', 'rollback'] }) @IsIn(['fix', 'rollback']) decision!: 'fix' | 'rollback';
  @ApiPropertyOptional({ type: [String], description: 'For a fix: the targets to work on again' })
  @IsText(1, 253, { each: true }) @ArrayMaxSize(500) @IsArray() @IsAbsentOr()
  targets?: string[];
  @ApiProperty() @IsText(1, TEXT) reason!: string;
}

export class ExtendRetentionBody implements Body<ExtendRetention> {
  @ApiProperty({ minimum: 1, maximum: MAX_DAYS, description: 'At most MAX_RETENTION_EXTENSION_DAYS; once per request' })
  @Max(MAX_DAYS) @Min(1) @IsInt()
  days!: number;
  @ApiProperty() @IsText(1, TEXT) reason!: string;
}

export class CancelRequestBody implements Body<CancelRequest> {
  @ApiProperty() @IsText(1, TEXT) reason!: string;
}
