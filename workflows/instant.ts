/**
 * An instant as the API and the workflow accept it: an ISO-8601 date-time with seconds optional,
 * fractions optional, and an explicit offset (`Z` or `±hh:mm`). A time without an offset would be
 * read in the zone of whichever process parses it, so a replay on another worker could disagree.
 */
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Epoch milliseconds of `value`, or NaN unless it is a valid date-time with an offset. */
export function parseInstant(value: unknown): number {
  return typeof value === 'string' && INSTANT_WITH_OFFSET.test(value) ? Date.parse(value) : NaN;
}
