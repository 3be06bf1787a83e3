import { buildMessage, isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';
import { parseInstant } from '../../workflows/instant';

/**
 * An ISO-8601 date-time with an explicit UTC offset or `Z`, by the same rule the workflow's
 * validators apply. A zone-less time ("2027-01-12T10:00:00") would be read in whatever zone the
 * parsing process runs in, so a replay could diverge; a bare date names no instant at all.
 */
export function isInstantWithOffset(value: unknown): value is string {
  return Number.isFinite(parseInstant(value)) && isISO8601(value, { strict: true });
}

/** Every date-time the API takes goes through this one check. */
export function IsInstantWithOffset(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isInstantWithOffset',
    validator: {
      validate: isInstantWithOffset,
      defaultMessage: buildMessage((each) => `${each}$property must be an ISO-8601 date-time with offset, e.g. 2026-12-01T08:00:00Z`),
    },
  }, options);
}

/**
 * Not before the API's own clock. Whether a time is too soon for the procedure (lead time, cut-offs)
 * is the workflow's decision; a time already past can only be a mistake.
 */
export function IsNotInPast(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isNotInPast',
    validator: {
      validate: (value) => typeof value === 'string' && Date.parse(value) >= Date.now(),
      defaultMessage: buildMessage((each) => `${each}$property must not be in the past`),
    },
  }, options);
}
