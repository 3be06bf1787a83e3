import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CLASSIFICATIONS, type Classification, type Severity, type UpdateCategory } from '../../workflows/update-request.contract';
import { SEVERITIES } from '../../workflows/priority';

/** Paging of a release history, newest first. */
export class ReleaseHistoryQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000, default: 1 })
  @Max(10_000) @Min(1) @IsInt() @Type(() => Number) @IsOptional()
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @Max(100) @Min(1) @IsInt() @Type(() => Number) @IsOptional()
  pageSize: number = 50;
}

/** One update carried out on the customer's systems: a request signed off. */
export class ReleaseView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty() software!: string;
  @ApiProperty() vendor!: string;
  @ApiProperty({ description: 'The version installed before (for a first installation: as the request named it)' }) fromVersion!: string;
  @ApiProperty() version!: string;
  @ApiPropertyOptional({ enum: CLASSIFICATIONS, description: 'Absent on requests accepted before versions were classified' })
  classification?: Classification;
  @ApiProperty() category!: UpdateCategory;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ type: [String], description: 'The systems updated' }) systems!: string[];
  @ApiProperty({ format: 'date-time', description: 'When the customer signed the update off' }) signedOffAt!: string;
  @ApiPropertyOptional({ description: 'What is new, what is fixed, what changes for users' }) releaseNotes?: string;
  @ApiPropertyOptional({ description: "The vendor's release notes" }) releaseNotesLink?: string;
}

export class ReleaseHistoryView {
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: [ReleaseView], description: 'Newest first' }) items!: ReleaseView[];
  @ApiProperty({ description: 'Updates over all pages' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
