import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openApiDocument } from '../../api/openapi';
import { historyFacts } from '../support/update-harness';
import { ApiHarness, type Caller } from './api-harness';
import { registeredRoutes, type Route } from './registered-routes';

/** Values of the wrong type, range or shape for any field, none of them a valid value of any field. */
const JUNK_VALUES: unknown[] = [
  null, true, 0, -1, 1.5, 1e20, -1e20, '', '\u0000', '\u001b[2J', 'x'.repeat(5000),
  [], [null], [{}], ['a', 'a'], {}, { nested: { deeper: [1, { x: null }, 'y'.repeat(300)] } },
];

/** Whole bodies: JSON that is not an object, JSON that is no JSON, and prototype tricks. */
const JUNK_JSON_BODIES = [
  '[]', '[{}]', '"text"', '5', 'null', 'true', '{', '{"a":', '{"a":1}}', 'nul', '\u0000', '{"a":"\\ud800"}',
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', `${'['.repeat(5000)}${']'.repeat(5000)}`,
  JSON.stringify({ a: 'x'.repeat(70_000) }),
];

/** Bodies that are not JSON at all, or JSON declared with a charset the parser does not read. */
const WRONG_CONTENT_TYPES: Array<{ type?: string; body: string | Uint8Array }> = [
  { type: 'text/plain', body: '{"reason":"r"}' },
  { type: 'application/x-www-form-urlencoded', body: 'reason=r' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\nr\r\n--x--\r\n' },
  { type: 'application/xml', body: '<reason>r</reason>' },
  { type: 'application/json; charset=utf-16', body: '{"reason":"r"}' },
  { type: 'application/json', body: new Uint8Array([0xff, 0xfe, 0x00]) },
  { body: new Uint8Array([0x7b, 0x7d]) },
];

const JUNK_QUERY_VALUES = ['', '%00', 'x'.repeat(3000), '1e20', '-1', '2026-01-01T00:00:00', 'true%00', '%E0%A4%A'];
const JUNK_PATH_SEGMENTS = ['%00', 'x'.repeat(2000), '%E0%A4%A', '..%2F..%2Fetc', '%F0%9F%92%A9', ' '];

interface Attempt {
  caller: Caller;
  method: string;
  path: string;
  body?: string | Uint8Array;
  type?: string;
}

/**
 * Throws every malformed shape at every registered route: no answer is ever a 5xx, and nothing a
 * refused request carried reaches a row, the audit trail or a workflow.
 */
describe('API: no input of any shape produces a 5xx or changes anything', () => {
  let sut: ApiHarness;
  let callers: Caller[];
  let requestId: string;
  let target: string;
  let document: OpenAPIObject;

  before(async () => {
    // Thousands of requests from one key and address: the rate limits are raised so every one is judged.
    sut = await ApiHarness.start({}, { RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_ADDRESS: '100000' });
    const customer = await sut.customer('acme');
    callers = [customer, await sut.staff('operator', 'olga'), await sut.staff('auditor', 'ada')];
    let body;
    ({ requestId, body } = await sut.submit(customer));
    target = body.targets[0].name;
    await sut.untilStatus(customer, requestId, 'scheduling');
    document = openApiDocument(sut.api.app);
  });
  after(async () => { await sut?.stop(); });

  const counts = async () => (await sut.h.db.dataSource.query(`
    SELECT (SELECT count(*) FROM update_requests)::int AS requests, (SELECT count(*) FROM audit_events)::int AS audit_events,
           (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys, (SELECT count(*) FROM ping_results)::int AS pings`))[0];
  const acceptedUpdates = async () =>
    (await historyFacts(sut.h.env.client.workflow.getHandle(`update-request-${requestId}`))).acceptedUpdates;

  async function send({ caller, method, path, body, type }: Attempt): Promise<number> {
    const res = await fetch(`${sut.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${caller.key}`, ...(type ? { 'content-type': type } : {}) },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }

  const filled = (route: Route) => route.path.replace(':requestId', requestId).replace(':target', target);
  const openApiPath = (route: Route) => route.path.replace(/:(\w+)/g, '{$1}');

  /** The properties of the route's JSON body, from the OpenAPI document the API serves. */
  function bodyProperties(route: Route): string[] {
    const operation = document.paths[openApiPath(route)]?.[route.method.toLowerCase() as 'post'];
    const ref = (operation?.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)
      ?.content?.['application/json']?.schema?.$ref;
    const schema = ref ? document.components?.schemas?.[ref.split('/').pop()!] : undefined;
    return Object.keys((schema as { properties?: object } | undefined)?.properties ?? {});
  }

  function queryParameters(route: Route): string[] {
    const operation = document.paths[openApiPath(route)]?.[route.method.toLowerCase() as 'get'];
    return (operation?.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : []));
  }

  /**
   * The shapes thrown at one route by one caller. Field by field only for a caller the route admits:
   * the guard turns the others away before the fields are read.
   */
  function attemptsFor(route: Route, caller: Caller, admitted: boolean): Attempt[] {
    const path = filled(route);
    const attempts: Attempt[] = [];
    const json = (body: unknown) => ({ caller, method: route.method, path, body: JSON.stringify(body), type: 'application/json' });
    if (route.method !== 'GET') {
      for (const body of JUNK_JSON_BODIES) attempts.push({ caller, method: route.method, path, body, type: 'application/json' });
      for (const { type, body } of WRONG_CONTENT_TYPES) attempts.push({ caller, method: route.method, path, body, type });
      const properties = admitted ? bodyProperties(route) : [];
      for (const value of JUNK_VALUES) {
        if (properties.length > 0) attempts.push(json(Object.fromEntries(properties.map((p) => [p, value]))));
        for (const property of properties) attempts.push(json({ [property]: value }));
      }
    }
    for (const parameter of queryParameters(route)) {
      for (const value of JUNK_QUERY_VALUES) attempts.push({ caller, method: route.method, path: `${path}?${parameter}=${value}` });
      attempts.push({ caller, method: route.method, path: `${path}?${parameter}=a&${parameter}=b` });
      attempts.push({ caller, method: route.method, path: `${path}?${parameter}[a]=b` });
    }
    for (const segment of JUNK_PATH_SEGMENTS) {
      for (const param of route.path.match(/:\w+/g) ?? []) {
        attempts.push({ caller, method: route.method, path: filled({ ...route, path: route.path.replace(param, segment) }) });
      }
    }
    return attempts;
  }

  it('never answers 5xx, and a refused request leaves no row, no audit entry and no Update', async () => {
    const before = await counts();
    const routes = registeredRoutes(sut.api.app);
    assert.ok(routes.length >= 29, `only ${routes.length} routes registered`);
    const serverErrors: string[] = [];
    let sent = 0;
    for (const route of routes) {
      for (const caller of callers) {
        const admitted = route.method === 'GET' || await send({ caller, method: route.method, path: filled(route), body: '{}', type: 'application/json' }) !== 403;
        for (const attempt of attemptsFor(route, caller, admitted)) {
          const status = await send(attempt);
          sent++;
          if (status >= 500) {
            serverErrors.push(`${status} ${caller.name} ${attempt.method} ${attempt.path.slice(0, 120)} ${attempt.type ?? ''} ${String(attempt.body ?? '').slice(0, 80)}`);
          }
        }
      }
    }

    assert.deepEqual(serverErrors, []);
    assert.ok(sent > 2000, `only ${sent} requests sent`);
    assert.deepEqual(await counts(), before);
    assert.deepEqual(await acceptedUpdates(), []);
    assert.equal((await sut.call(callers[0], 'GET', `/requests/${requestId}`)).body.status, 'scheduling');
  });
});
