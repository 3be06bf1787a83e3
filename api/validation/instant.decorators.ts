import { buildMessage, isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * An ISO-8601 date-time with an explicit UTC offset or `Z`. A zone-less time ("2027-01-12T10:00:00")
 * would be read in whatever zone the parsing process runs in, so the same request could name another
 * instant on another worker, and a replay would diverge; a bare date names no instant at all.
 */
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstantWithOffset(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME_WITH_OFFSET.test(value) && isISO8601(value, { strict: true });
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
