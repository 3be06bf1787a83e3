import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsInt, IsString,
  Matches, Max, Min, ValidateIf,
} from 'class-validator';
import type {
  Contact, Downgrade, InstallerSource, ReleaseNotes, Performer, Severity, Software, Target, TargetKind, UpdateCategory, UpdateRequest,
} from '../../workflows/update-request.contract';
import { SEVERITIES } from '../../workflows/priority';
import { IsInstantWithOffset, IsNotInPast } from '../validation/instant.decorators';
import { IsAbsentOr, IsNestedObject, IsText } from '../validation/shape.decorators';
import { IsKnownTimeZone } from '../validation/time-zone.decorator';

// Decorators run from the property upwards: with stopAtFirstError the type check, listed last,
// answers first, so a number is reported as "must be a string" rather than as a bad length.
// Messages of nested fields name the field alone: the validation pipe prefixes the parent's path.

const CATEGORIES: UpdateCategory[] = ['feature', 'maintenance', 'security', 'server'];
const TARGET_KINDS: TargetKind[] = ['application-server', 'client-host'];

export class SoftwareDto implements Software {
  @ApiProperty({ example: 'Abacus ERP' }) @IsText(1, 200) name!: string;
  @ApiProperty({ example: 'Abacus' }) @IsText(1, 200) vendor!: string;
  @ApiProperty({ example: '2024.1' }) @IsText(1, 100) currentVersion!: string;
  @ApiProperty({ example: '2025.2' }) @IsText(1, 100) targetVersion!: string;
}

export class InstallerSourceDto implements InstallerSource {
  @ApiProperty({ description: 'An https URL or an artifact reference', example: 'artifacts://abacus/erp/2025.2/setup.exe' })
  @Matches(/^(https|artifacts):\/\/\S+$/, { message: 'location must be an https:// URL or an artifacts:// reference' })
  @IsText(1, 2000)
  location!: string;

  @ApiPropertyOptional({ description: 'Hex SHA-256 of the installer' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal digits' }) @IsString() @IsAbsentOr()
  sha256?: string;
}

export class ContactDto implements Contact {
  @ApiProperty({ example: 'Clara Kunde' }) @IsText(1, 200) name!: string;
  @ApiProperty({ example: 'clara@customer.example' }) @IsEmail({ require_tld: false }) email!: string;
  @ApiPropertyOptional({ example: '+41 44 000 00 00' }) @IsText(1, 50) @IsAbsentOr() phone?: string;
}

export class PerformerDto implements Performer {
  @ApiProperty({ enum: ['provider', 'partner'] }) @IsIn(['provider', 'partner']) kind!: 'provider' | 'partner';

  @ApiPropertyOptional({ type: ContactDto, description: 'Required for a partner: who carries the update out' })
  @IsNestedObject(() => ContactDto) @IsDefined({ message: 'partnerContact is required when a partner performs the update' })
  @ValidateIf((p: PerformerDto) => p.kind === 'partner' || p.partnerContact !== undefined)
  partnerContact?: ContactDto;
}

export class TargetDto implements Target {
  @ApiProperty({ description: "The VM's host name", example: 'erp-app-01' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, { message: 'name must be a host name (letters, digits, dots, hyphens)' })
  @IsText(1, 253)
  name!: string;

  @ApiProperty({ enum: TARGET_KINDS }) @IsIn(TARGET_KINDS) kind!: TargetKind;
}

export class DowngradeDto implements Downgrade {
  @ApiProperty({ description: 'Why the lower version is wanted', example: '2025.2 breaks the payroll export' }) @IsText(1, 2000) reason!: string;
}

export class ReleaseNotesDto implements ReleaseNotes {
  @ApiProperty({ description: 'What is new, what is fixed, what changes for users', example: 'New: payroll export to Swissdec 5. Fixed: rounding of VAT.' })
  @IsText(1, 4000)
  summary!: string;

  @ApiPropertyOptional({ description: "The vendor's release notes", example: 'https://abacus.example/releases/2025.2' })
  @Matches(/^https:\/\/\S+$/, { message: 'link must be an https:// URL' }) @IsText(1, 2000) @IsAbsentOr()
  link?: string;
}

/** What a customer submits; the API adds the request id, the customer, the time of receipt and the classification. */
export class SubmitRequestBody implements Omit<UpdateRequest, 'requestId' | 'customerId' | 'submittedAt' | 'classification'> {
  @ApiProperty({ type: SoftwareDto }) @IsNestedObject(() => SoftwareDto) @IsDefined() software!: SoftwareDto;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category!: UpdateCategory;
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES as Severity[]) severity!: Severity;
  @ApiProperty() @IsBoolean() criticalSecurity!: boolean;
  @ApiProperty({ type: InstallerSourceDto }) @IsNestedObject(() => InstallerSourceDto) @IsDefined() installer!: InstallerSourceDto;

  @ApiProperty({ type: [String], example: ['LIC-4711'] })
  @IsText(1, 200, { each: true }) @ArrayMaxSize(50) @IsArray()
  licenceReferences!: string[];

  @ApiProperty({ type: PerformerDto, description: 'Who the customer suggests carry the update out; the provider decides with each slot it proposes' })
  @IsNestedObject(() => PerformerDto) @IsDefined()
  performer!: PerformerDto;

  @ApiProperty({ description: 'When the customer wants the update (ISO-8601 with offset)', example: '2026-12-14T08:00:00+01:00' })
  @IsNotInPast() @IsInstantWithOffset()
  desiredStart!: string;

  @ApiProperty({ description: 'The IANA zone the customer thinks in', example: 'Europe/Zurich' })
  @IsKnownTimeZone() @IsString()
  timeZone!: string;

  @ApiProperty({ minimum: 1, maximum: 10_080 }) @Max(10_080) @Min(1) @IsInt() expectedDurationMinutes!: number;

  @ApiProperty({ type: [TargetDto], description: 'The VMs; host names unique' })
  @IsNestedObject(() => TargetDto, { each: true })
  @ArrayUnique((t: TargetDto) => t?.name, { message: 'targets must have unique names' })
  @ArrayMaxSize(500) @ArrayMinSize(1) @IsArray()
  targets!: TargetDto[];

  @ApiProperty() @IsBoolean() clientUpdateIncluded!: boolean;

  @ApiProperty({ type: [ContactDto] })
  @IsNestedObject(() => ContactDto, { each: true }) @ArrayMaxSize(20) @ArrayMinSize(1) @IsArray()
  contacts!: ContactDto[];

  @ApiProperty({ type: ReleaseNotesDto, description: 'Announced with the slot, in reminders and in the completion message' })
  @IsNestedObject(() => ReleaseNotesDto) @IsDefined()
  releaseNotes!: ReleaseNotesDto;

  @ApiPropertyOptional({ description: 'The software is not installed on the targets yet (currentVersion is then not compared)' })
  @IsBoolean() @IsAbsentOr()
  firstInstallation?: boolean;

  @ApiPropertyOptional({ type: DowngradeDto, description: 'Required when targetVersion is lower than the installed version' })
  @IsNestedObject(() => DowngradeDto) @IsAbsentOr()
  downgrade?: DowngradeDto;
}
