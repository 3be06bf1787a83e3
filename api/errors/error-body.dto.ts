import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ErrorBody } from './error.filter';

/** The one error format, as the OpenAPI document describes it. */
export class ErrorBodyView implements ErrorBody {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'Conflict', description: 'The HTTP reason phrase' }) error!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'What went wrong; for a validation error (400) a list with one message per field',
    example: 'no proposed slot is waiting for acceptance',
  })
  message!: string | string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'More detail, e.g. the state of each dependency' })
  details?: unknown;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: one message per field',
  401: 'No API key, or an unknown or revoked one',
  403: 'The caller\'s role may not do this',
  404: 'No such request (a customer gets this for another customer\'s request too), customer or system',
  409: 'The workflow refused the action; `message` is its reason',
  413: 'The body is larger than the limit',
  415: 'The body is not application/json',
  422: 'The Idempotency-Key was used before with a different body, or a target is not in the customer\'s inventory',
  429: 'Too many requests for this API key or address; retry after the Retry-After header\'s seconds',
  504: 'The ping workflow did not finish in time',
  503: 'Temporal or PostgreSQL is unreachable; retry after the Retry-After header\'s seconds',
};

/** Documents the error answers of a route or controller, each in the ErrorBody format. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) =>
    ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', schema: { $ref: getSchemaPath(ErrorBodyView) } })));
}

/** The errors of every route behind the guard: no or a bad key, a rate limit, and dependencies away. */
export const ApiAuthenticatedErrors = () => ApiErrors(401, 429, 503);
