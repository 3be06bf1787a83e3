import type { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/update-request.contract';

/**
 * The custom search attributes our workflows upsert (defined in the workflow contract), so requests
 * can be listed by customer, status, software and start time. Every server must know them before
 * a workflow upserts one (else its workflow task fails and retries forever): `npm start` passes
 * them to the dev server, tests register them on the test server, docker-compose.yml registers
 * them on the cluster.
 */
export { SEARCH_ATTRIBUTES };

const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text', KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList',
};

/** `Name=Type` as the `temporal` CLI spells it, e.g. `ScheduledStart=Datetime`. */
export function searchAttributeCliSpecs(): string[] {
  return SEARCH_ATTRIBUTES.map((key) => `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
}

/** The attributes as the operator service's AddSearchAttributes call takes them. */
export function searchAttributeIndexedTypes(): Record<string, temporal.api.enums.v1.IndexedValueType> {
  const types = temporal.api.enums.v1.IndexedValueType;
  return Object.fromEntries(SEARCH_ATTRIBUTES.map((key) => [key.name, types[`INDEXED_VALUE_TYPE_${key.type}`]]));
}
