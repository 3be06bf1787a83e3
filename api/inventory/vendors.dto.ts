import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, Matches, Max, Min } from 'class-validator';
import { DEFAULT_SUPPORTED_MONTHS, type SoftwareRelease } from '../../platform/inventory/vendor-store';
import { DEFAULT_VERSION_SCHEME } from '../../platform/inventory/version-scheme';
import { IsAbsentOr, IsText } from '../validation/shape.decorators';

export class PutVersionSchemeBody {
  @ApiProperty({ description: 'Parts {Major}, {Minor}, {ServicePack}, {Revision} in this order, between separators', example: DEFAULT_VERSION_SCHEME })
  @IsText(1, 200)
  versionScheme!: string;
}

export class VersionSchemeView {
  @ApiProperty() vendor!: string;
  @ApiProperty({ example: DEFAULT_VERSION_SCHEME }) versionScheme!: string;
}

export class PutReleaseBody {
  @ApiProperty({ format: 'date', example: '2025-03-01' })
  @IsISO8601({ strict: true }, { message: 'releasedOn must be a date (YYYY-MM-DD)' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'releasedOn must be a date (YYYY-MM-DD)' }) @IsText(10, 10)
  releasedOn!: string;

  @ApiPropertyOptional({ default: DEFAULT_SUPPORTED_MONTHS, minimum: 1, maximum: 600, description: 'How long the vendor supports the release' })
  @Max(600) @Min(1) @IsInt() @IsAbsentOr()
  supportedMonths?: number;
}

export class ReleaseView implements SoftwareRelease {
  @ApiProperty() vendor!: string;
  @ApiProperty() software!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ format: 'date' }) releasedOn!: string;
  @ApiProperty() supportedMonths!: number;
  @ApiProperty({ format: 'date', description: 'The first day the release is no longer supported' }) supportEndsOn!: string;
}
