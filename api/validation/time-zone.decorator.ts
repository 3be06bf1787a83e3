import { buildMessage, isTimeZone, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Zones already found valid, by lower-case name (zone names are case-insensitive, so the set holds
 * at most one entry per zone Intl knows). class-validator's check builds an Intl.DateTimeFormat on
 * every call, which was the dearest single step of validating a submission.
 */
const knownZones = new Set<string>();

export function isKnownTimeZone(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const name = value.toLowerCase();
  if (knownZones.has(name)) return true;
  if (!isTimeZone(value)) return false;
  knownZones.add(name);
  return true;
}

/** An IANA time zone, as class-validator's @IsTimeZone, with each valid zone checked once per process. */
export function IsKnownTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isTimeZone',
    validator: {
      validate: isKnownTimeZone,
      defaultMessage: buildMessage((each) => `${each}$property must be a valid IANA time-zone`, options),
    },
  }, options);
}
