import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { UpdateStatus } from '../../workflows/update-request.contract';
import { IsInstantWithOffset } from '../validation/instant.decorators';
import { IsText } from '../validation/shape.decorators';
import { UPDATE_STATUSES } from './request-views.dto';

/** `true`/`false` in a query string; anything else is left for @IsBoolean to refuse. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const UPCOMING_DAYS = 14;
/** Deeper pages are not browsed; the bound keeps OFFSET within what PostgreSQL computes. */
const MAX_PAGE = 100_000;

/** Filters and paging of GET /requests; a customer's list is always limited to its own requests. */
export class ListRequestsQuery {
  @ApiPropertyOptional({ enum: UPDATE_STATUSES }) @IsIn(UPDATE_STATUSES) @IsOptional() status?: UpdateStatus;

  @ApiPropertyOptional({ description: 'Part of the software name (case-insensitive)' })
  @IsText(1, 200) @IsOptional()
  software?: string;

  @ApiPropertyOptional({ description: 'Operators and auditors: one customer only' })
  @IsText(1, 200) @IsOptional()
  customerId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Submitted at or after (with a UTC offset)' })
  @IsInstantWithOffset() @IsOptional()
  submittedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Submitted before (with a UTC offset)' })
  @IsInstantWithOffset() @IsOptional()
  submittedTo?: string;

  @ApiPropertyOptional({ description: "Only requests whose pending action is the caller's role: the caller's queue, most urgent priority first, then the nearest deadline" })
  @IsBoolean() @Transform(toBoolean) @IsOptional()
  waitingForMe?: boolean;

  @ApiPropertyOptional({ description: `Only requests scheduled to start within the next ${UPCOMING_DAYS} days, soonest first` })
  @IsBoolean() @Transform(toBoolean) @IsOptional()
  upcoming?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 })
  @Max(MAX_PAGE) @Min(1) @IsInt() @Type(() => Number) @IsOptional()
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @Max(100) @Min(1) @IsInt() @Type(() => Number) @IsOptional()
  pageSize: number = 20;
}
