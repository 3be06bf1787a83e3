import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as contract from '../../workflows/update-request.contract';
import { ApiHarness } from './api-harness';
import { registeredRoutes } from './registered-routes';

interface Operation {
  security?: unknown[];
  'x-workflow-update'?: string;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

const PUBLIC = ['/health', '/metrics', '/calendar/{token}.ics', '/partner/slot-acceptance/{token}'];

describe('API: the OpenAPI document at /docs', () => {
  let sut: ApiHarness;
  let doc: OpenApi;

  before(async () => {
    sut = await ApiHarness.start();
    const res = await sut.call(undefined, 'GET', '/docs-json');
    assert.equal(res.status, 200);
    doc = res.body;
  });
  after(async () => { await sut?.stop(); });

  const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

  it('lists exactly the routes the app serves', () => {
    const served = registeredRoutes(sut.api.app).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    assert.ok(served.length >= 20, `only ${served.length} routes registered`);
    assert.deepEqual(operations().map((o) => `${o.method} ${o.path}`).sort(), served);
  });

  it('describes every request body and success response with a schema, and every error in the error format', () => {
    assert.deepEqual(Object.keys(doc.components.schemas.ErrorBodyView.properties ?? {}).sort(), ['details', 'error', 'message', 'statusCode']);
    // A schema named Object is a property whose type the generator could not see.
    assert.equal(doc.components.schemas.Object, undefined);
    for (const { path, method, op } of operations()) {
      const name = `${method} ${path}`;
      if (method === 'POST') assert.ok(op.requestBody?.content['application/json'].schema.$ref, `${name} has no request schema`);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      assert.ok(success?.[1].content, `${name} has no success schema`);
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => /^[45]/.test(s))) {
        assert.equal(response.content?.['application/json'].schema.$ref, '#/components/schemas/ErrorBodyView', `${name} ${status}`);
      }
      if (PUBLIC.includes(path)) continue;
      assert.ok(op.security?.length, `${name} does not say it needs the bearer key`);
      assert.ok(op.responses['401'] && op.responses['503'], `${name} lacks 401 or 503`);
    }
  });

  it('exposes every Workflow Update of the contract on exactly one route', () => {
    const updates = (Object.values(contract) as unknown[])
      .filter((v): v is { type: 'update'; name: string } => typeof v === 'object' && v !== null && 'type' in v && v.type === 'update')
      .map((u) => u.name).sort();
    assert.equal(updates.length, 20);
    assert.deepEqual(operations().map((o) => o.op['x-workflow-update']).filter((u) => u !== undefined).sort(), updates);
  });

  it('serves the interactive page without a key', async () => {
    const res = await sut.call(undefined, 'GET', '/docs');
    assert.equal(res.status, 200);
    assert.match(res.body, /swagger-ui/i);
  });
});
