import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min,
  ValidateNested,
} from 'class-validator';
import {
  HOST_STEPS, PRE_CHECKS,
  type AcceptSlot, type CancelRequest, type ConfirmSnapshots, type DecideHostFailure, type DecideShortNotice, type ExtendRetention,
  type HostFailureDecision, type HostStep, type PreCheckName, type ProposeSlot, type RecordHostStep, type RecordPreCheck,
  type RecordSnapshots, type RejectUpdate, type ReportUserActivity, type RequestAnotherSlot, type ResolveRejection,
  type ResolveUserActivity, type ShortNoticeDecision, type SignOff, type SnapshotIdentity, type TechnicalChecklist,
  type WrittenConfirmation,
} from '../../workflows/update-request.contract';
import { DATE_TIME_MESSAGE } from './submit-request.dto';

/**
 * The bodies of the action routes: each is an Update's payload without the actor, whom the guard
 * supplies. These check shape only; whether the action is allowed now is the workflow
 * validator's decision (a refusal is a 409 with its reason).
 */
type Body<T> = Omit<T, 'actor'>;

const TEXT = 4000;

export class DecideShortNoticeBody implements Body<DecideShortNotice> {
  @ApiProperty({ enum: ['accept', 'decline', 'expedite'], description: 'expedite: critical security patches only' })
  @IsIn(['accept', 'decline', 'expedite']) decision!: ShortNoticeDecision;
  @ApiProperty() @Length(1, TEXT) @IsString() reason!: string;
}

export class ProposeSlotBody implements Body<ProposeSlot> {
  @ApiProperty({ example: '2026-12-14T08:00:00Z' }) @IsISO8601({ strict: true }, { message: `start ${DATE_TIME_MESSAGE}` }) @IsString() start!: string;
  @ApiProperty({ minimum: 1, maximum: 10_080 }) @Max(10_080) @Min(1) @IsInt() durationMinutes!: number;
  @ApiProperty({ example: 'Erik Engineer' }) @Length(1, 200) @IsString() engineer!: string;
}

export class WrittenConfirmationDto implements WrittenConfirmation {
  @ApiProperty({ description: 'Who confirms in writing' }) @Length(1, 200) @IsString() name!: string;
  @ApiProperty({ description: 'The statement accepting the off-hours slot and its surcharge' }) @Length(1, TEXT) @IsString() statement!: string;
  @ApiProperty() @IsISO8601({ strict: true }, { message: `confirmedAt ${DATE_TIME_MESSAGE}` }) @IsString() confirmedAt!: string;
}

export class AcceptSlotBody implements Body<AcceptSlot> {
  @ApiPropertyOptional({ type: WrittenConfirmationDto, description: 'Required when the slot is outside support hours' })
  @ValidateNested() @Type(() => WrittenConfirmationDto) @IsOptional()
  writtenConfirmation?: WrittenConfirmationDto;
}

export class RequestAnotherSlotBody implements Body<RequestAnotherSlot> {
  @ApiProperty() @Length(1, TEXT) @IsString() reason!: string;
  @ApiPropertyOptional() @IsISO8601({ strict: true }, { message: `preferredStart ${DATE_TIME_MESSAGE}` }) @IsOptional() preferredStart?: string;
}

export class RecordPreCheckBody implements Body<RecordPreCheck> {
  @ApiProperty({ enum: PRE_CHECKS }) @IsIn([...PRE_CHECKS]) check!: PreCheckName;
  @ApiProperty() @IsBoolean() passed!: boolean;
  @ApiProperty() @Length(1, TEXT) @IsString() notes!: string;
  @ApiPropertyOptional({ enum: ['reschedule', 'cancel'], description: 'Required when the check failed' })
  @IsIn(['reschedule', 'cancel']) @IsOptional() onFailure?: 'reschedule' | 'cancel';
}

export class SnapshotIdentityDto implements SnapshotIdentity {
  @ApiProperty() @Length(1, 253) @IsString() target!: string;
  @ApiProperty() @Length(1, 500) @IsString() snapshotId!: string;
}

export class RecordSnapshotsBody implements Body<RecordSnapshots> {
  @ApiProperty({ type: [SnapshotIdentityDto] })
  @ValidateNested({ each: true }) @Type(() => SnapshotIdentityDto) @ArrayMaxSize(500) @ArrayMinSize(1) @IsArray()
  snapshots!: SnapshotIdentityDto[];
}

export class ReportUserActivityBody implements Body<ReportUserActivity> {
  @ApiProperty({ minimum: 0, description: 'Users logged on to the targets' }) @Min(0) @IsInt() activeUsers!: number;
  @ApiProperty() @Length(1, TEXT) @IsString() notes!: string;
}

export class ResolveUserActivityBody implements Body<ResolveUserActivity> {
  @ApiProperty({ enum: ['proceed', 'postpone'] }) @IsIn(['proceed', 'postpone']) decision!: 'proceed' | 'postpone';
  @ApiProperty() @Length(1, TEXT) @IsString() reason!: string;
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
  @ApiProperty() @Length(1, TEXT) @IsString() notes!: string;
  @ApiPropertyOptional({ type: TechnicalChecklistDto, description: 'Required for the technical test' })
  @ValidateNested() @Type(() => TechnicalChecklistDto) @IsOptional()
  checklist?: TechnicalChecklistDto;
}

export class DecideHostFailureBody implements Omit<Body<DecideHostFailure>, 'target'> {
  @ApiProperty({ enum: ['retry', 'rollback', 'abort'] }) @IsIn(['retry', 'rollback', 'abort']) decision!: HostFailureDecision;
  @ApiProperty() @Length(1, TEXT) @IsString() reason!: string;
}

export class ConfirmSnapshotsBody implements Body<ConfirmSnapshots> {
  @ApiProperty({ type: [String] }) @Length(1, 500, { each: true }) @IsString({ each: true }) @ArrayMaxSize(500) @IsArray() snapshotIds!: string[];
  @ApiProperty() @Length(1, TEXT) @IsString() notes!: string;
}

export class SignOffBody implements Body<SignOff> {
  @ApiPropertyOptional() @Length(1, TEXT) @IsString() @IsOptional() notes?: string;
}

export class RejectUpdateBody implements Body<RejectUpdate> {
  @ApiProperty({ description: 'What failed in the functional tests' }) @Length(1, TEXT) @IsString() description!: string;
}

export class ResolveRejectionBody implements Body<ResolveRejection> {
  @ApiProperty({ enum: ['fix', 'rollback'] }) @IsIn(['fix', 'rollback']) decision!: 'fix' | 'rollback';
  @ApiPropertyOptional({ type: [String], description: 'For a fix: the targets to work on again' })
  @Length(1, 253, { each: true }) @IsString({ each: true }) @IsArray() @IsOptional()
  targets?: string[];
  @ApiProperty() @Length(1, TEXT) @IsString() reason!: string;
}

export class ExtendRetentionBody implements Body<ExtendRetention> {
  @ApiProperty({ minimum: 1, description: 'At most MAX_RETENTION_EXTENSION_DAYS; once per request' }) @Min(1) @IsInt() days!: number;
  @ApiProperty() @Length(1, TEXT) @IsString() reason!: string;
}

export class CancelRequestBody implements Body<CancelRequest> {
  @ApiProperty() @Length(1, TEXT) @IsString() reason!: string;
}
