import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsInt, IsISO8601, IsOptional,
  IsString, IsTimeZone, Length, Matches, Max, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import type {
  Contact, InstallerSource, Performer, Severity, Software, Target, TargetKind, UpdateCategory, UpdateRequest,
} from '../../workflows/update-request.contract';

// Decorators run from the property upwards: with stopAtFirstError the type check, listed last,
// answers first, so a number is reported as "must be a string" rather than as a bad length.
// Messages of nested fields name the field alone: the validation pipe prefixes the parent's path.

const CATEGORIES: UpdateCategory[] = ['feature', 'maintenance', 'security', 'server'];
const SEVERITIES: Severity[] = ['blocker', 'high', 'major', 'minor'];
const TARGET_KINDS: TargetKind[] = ['application-server', 'client-host'];
/** An ISO-8601 date-time with a UTC offset: a bare date or local time would be ambiguous across zones. */
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export const DATE_TIME_MESSAGE = 'must be an ISO-8601 date-time with offset, e.g. 2026-12-01T08:00:00Z';

export class SoftwareDto implements Software {
  @ApiProperty({ example: 'Abacus ERP' }) @Length(1, 200) @IsString() name!: string;
  @ApiProperty({ example: 'Abacus' }) @Length(1, 200) @IsString() vendor!: string;
  @ApiProperty({ example: '2024.1' }) @Length(1, 100) @IsString() currentVersion!: string;
  @ApiProperty({ example: '2025.2' }) @Length(1, 100) @IsString() targetVersion!: string;
}

export class InstallerSourceDto implements InstallerSource {
  @ApiProperty({ description: 'An https URL or an artifact reference', example: 'artifacts://abacus/erp/2025.2/setup.exe' })
  @Matches(/^(https|artifacts):\/\/\S+$/, { message: 'location must be an https:// URL or an artifacts:// reference' })
  @Length(1, 2000) @IsString()
  location!: string;

  @ApiPropertyOptional({ description: 'Hex SHA-256 of the installer' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal digits' }) @IsOptional()
  sha256?: string;
}

export class ContactDto implements Contact {
  @ApiProperty({ example: 'Clara Kunde' }) @Length(1, 200) @IsString() name!: string;
  @ApiProperty({ example: 'clara@customer.example' }) @IsEmail({ require_tld: false }) email!: string;
  @ApiPropertyOptional({ example: '+41 44 000 00 00' }) @Length(1, 50) @IsString() @IsOptional() phone?: string;
}

export class PerformerDto implements Performer {
  @ApiProperty({ enum: ['provider', 'partner'] }) @IsIn(['provider', 'partner']) kind!: 'provider' | 'partner';

  @ApiPropertyOptional({ type: ContactDto, description: 'Required for a partner: who carries the update out' })
  @ValidateNested() @Type(() => ContactDto) @IsDefined({ message: 'partnerContact is required when a partner performs the update' })
  @ValidateIf((p: PerformerDto) => p.kind === 'partner' || p.partnerContact !== undefined)
  partnerContact?: ContactDto;
}

export class TargetDto implements Target {
  @ApiProperty({ description: "The VM's host name", example: 'erp-app-01' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, { message: 'name must be a host name (letters, digits, dots, hyphens)' })
  @Length(1, 253) @IsString()
  name!: string;

  @ApiProperty({ enum: TARGET_KINDS }) @IsIn(TARGET_KINDS) kind!: TargetKind;
}

/** What a customer submits; the API adds the request id, the customer and the time of receipt. */
export class SubmitRequestBody implements Omit<UpdateRequest, 'requestId' | 'customerId' | 'submittedAt'> {
  @ApiProperty({ type: SoftwareDto }) @ValidateNested() @Type(() => SoftwareDto) @IsDefined() software!: SoftwareDto;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category!: UpdateCategory;
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) severity!: Severity;
  @ApiProperty() @IsBoolean() criticalSecurity!: boolean;
  @ApiProperty({ type: InstallerSourceDto }) @ValidateNested() @Type(() => InstallerSourceDto) @IsDefined() installer!: InstallerSourceDto;

  @ApiProperty({ type: [String], example: ['LIC-4711'] })
  @Length(1, 200, { each: true }) @IsString({ each: true }) @ArrayMaxSize(50) @IsArray()
  licenceReferences!: string[];

  @ApiProperty({ type: PerformerDto }) @ValidateNested() @Type(() => PerformerDto) @IsDefined() performer!: PerformerDto;

  @ApiProperty({ description: 'When the customer wants the update (ISO-8601 with offset)', example: '2026-12-14T08:00:00+01:00' })
  @IsISO8601({ strict: true }, { message: `desiredStart ${DATE_TIME_MESSAGE}` })
  @Matches(DATE_TIME_WITH_OFFSET, { message: `desiredStart ${DATE_TIME_MESSAGE}` }) @IsString()
  desiredStart!: string;

  @ApiProperty({ description: 'The IANA zone the customer thinks in', example: 'Europe/Zurich' })
  @IsTimeZone() @IsString()
  timeZone!: string;

  @ApiProperty({ minimum: 1, maximum: 10_080 }) @Max(10_080) @Min(1) @IsInt() expectedDurationMinutes!: number;

  @ApiProperty({ type: [TargetDto], description: 'The VMs; host names unique' })
  @ValidateNested({ each: true }) @Type(() => TargetDto)
  @ArrayUnique((t: TargetDto) => t?.name, { message: 'targets must have unique names' })
  @ArrayMaxSize(500) @ArrayMinSize(1) @IsArray()
  targets!: TargetDto[];

  @ApiProperty() @IsBoolean() clientUpdateIncluded!: boolean;

  @ApiProperty({ type: [ContactDto] })
  @ValidateNested({ each: true }) @Type(() => ContactDto) @ArrayMaxSize(20) @ArrayMinSize(1) @IsArray()
  contacts!: ContactDto[];
}
