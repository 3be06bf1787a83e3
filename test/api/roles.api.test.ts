import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../workflows/update-request.contract';
import { historyFacts } from '../support/update-harness';
import { ApiHarness, type Caller } from './api-harness';
import { registeredRoutes } from './registered-routes';

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  roles: Role[] | 'public' | 'any';
  /** A body the route accepts, so that only the guard or tenancy can turn the call away. */
  body?: unknown;
}

const NOTE = { notes: 'n' };
/** Every route of the API; the first test proves the table is complete. */
const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/health', roles: 'public' },
  { method: 'GET', path: '/metrics', roles: 'public' },
  { method: 'POST', path: '/ping', roles: ['operator'], body: { message: 'hi' } },
  { method: 'POST', path: '/requests', roles: ['customer'] },
  { method: 'GET', path: '/requests', roles: 'any' },
  { method: 'GET', path: '/requests/:requestId', roles: 'any' },
  { method: 'POST', path: '/requests/:requestId/short-notice-decision', roles: ['operator'], body: { decision: 'accept', reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/downgrade-decision', roles: ['operator'], body: { decision: 'approve', reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/slot-proposals', roles: ['operator'], body: { start: '2030-01-07T08:00:00Z', durationMinutes: 60, engineer: 'e' } },
  { method: 'POST', path: '/requests/:requestId/slot-acceptance', roles: ['customer'], body: {} },
  { method: 'POST', path: '/requests/:requestId/slot-change-requests', roles: ['customer'], body: { reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/pre-checks', roles: ['operator'], body: { check: 'compatibility', passed: true, ...NOTE } },
  { method: 'POST', path: '/requests/:requestId/snapshots', roles: ['operator'], body: { snapshots: [{ target: 't', snapshotId: 's' }] } },
  { method: 'POST', path: '/requests/:requestId/user-activity-reports', roles: ['operator'], body: { activeUsers: 0, ...NOTE } },
  { method: 'POST', path: '/requests/:requestId/user-activity-resolution', roles: ['operator'], body: { decision: 'proceed', reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/hosts/:target/steps', roles: ['operator'], body: { step: 'install', passed: true, ...NOTE } },
  { method: 'POST', path: '/requests/:requestId/hosts/:target/failure-decision', roles: ['operator'], body: { decision: 'retry', reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/hosts/:target/technical-test-confirmation', roles: ['operator'], body: { notes: 'evidence reviewed' } },
  { method: 'POST', path: '/requests/:requestId/snapshots/restored', roles: ['operator'], body: { snapshotIds: ['s'], ...NOTE } },
  { method: 'POST', path: '/requests/:requestId/snapshots/deleted', roles: ['operator'], body: { snapshotIds: ['s'], ...NOTE } },
  { method: 'POST', path: '/requests/:requestId/sign-off', roles: ['customer'], body: {} },
  { method: 'POST', path: '/requests/:requestId/rejection', roles: ['customer'], body: { description: 'd' } },
  { method: 'POST', path: '/requests/:requestId/rejection-resolution', roles: ['operator'], body: { decision: 'rollback', reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/retention-extension', roles: ['operator'], body: { days: 1, reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/cancellation', roles: ['customer', 'operator'], body: { reason: 'r' } },
  { method: 'POST', path: '/requests/:requestId/security-advisory', roles: ['operator'], body: {} },
  { method: 'GET', path: '/requests/:requestId/security-advisory', roles: ['operator', 'auditor'] },
  { method: 'GET', path: '/inventory', roles: ['operator'] },
  { method: 'PUT', path: '/inventory/:customerId/:name', roles: ['operator'], body: {} },
  { method: 'DELETE', path: '/inventory/:customerId/:name', roles: ['operator'] },
  { method: 'GET', path: '/installed-software', roles: ['operator'] },
  { method: 'PUT', path: '/installed-software/:customerId/:system/:software', roles: ['operator'], body: { vendor: 'V', version: '1' } },
  { method: 'DELETE', path: '/installed-software/:customerId/:system/:software', roles: ['operator'] },
  { method: 'GET', path: '/vendors', roles: ['operator'] },
  { method: 'PUT', path: '/vendors/:vendor', roles: ['operator'], body: { versionScheme: '{Major}.{Minor}' } },
  { method: 'GET', path: '/vendors/:vendor/releases', roles: ['operator'] },
  { method: 'PUT', path: '/vendors/:vendor/releases/:software/:version', roles: ['operator'], body: { releasedOn: '2026-01-01' } },
  { method: 'GET', path: '/audit/requests/:requestId/histories', roles: ['auditor'] },
  { method: 'GET', path: '/audit/requests/:requestId/replay', roles: ['auditor'] },
  { method: 'POST', path: '/audit/jobs', roles: ['auditor'], body: { kind: 'archive-verification' } },
  { method: 'GET', path: '/audit/jobs/:jobId', roles: ['auditor'] },
  { method: 'GET', path: '/audit/requests/:requestId/report', roles: ['auditor'] },
  { method: 'GET', path: '/audit/requests/:requestId/report.html', roles: ['auditor'] },
  { method: 'POST', path: '/customers/:customerId/calendar-feed', roles: ['customer', 'operator'], body: {} },
  { method: 'DELETE', path: '/customers/:customerId/calendar-feed', roles: ['customer', 'operator'] },
  { method: 'GET', path: '/customers/:customerId/release-history', roles: 'any' },
  { method: 'GET', path: '/calendar/:token.ics', roles: 'public' },
  { method: 'GET', path: '/partner/slot-acceptance/:token', roles: 'public' },
  { method: 'POST', path: '/partner/slot-acceptance/:token', roles: 'public', body: {} },
];

describe('API: role boundaries and tenancy, every endpoint', () => {
  let sut: ApiHarness;
  let owner: Caller;
  let otherTenant: Caller;
  let callers: Record<Role, Caller>;
  let requestId: string;
  let submission: unknown;

  before(async () => {
    sut = await ApiHarness.start();
    owner = await sut.customer('acme');
    otherTenant = await sut.customer('globex');
    callers = { customer: owner, operator: await sut.staff('operator', 'olga'), auditor: await sut.staff('auditor', 'ada') };
    submission = await sut.submission();
    ({ requestId } = await sut.submit(owner));
    await sut.untilStatus(callers.operator, requestId, 'scheduling');
  });
  after(async () => { await sut?.stop(); });

  const pathOf = (e: Endpoint) => e.path.replace(':requestId', requestId).replace(':target', 'app-01')
    .replace(':customerId', 'globex').replace(':name', 'app-01').replace(':system', 'app-01').replace(':software', 'Ledger')
    .replace(':vendor', 'Contoso').replace(':version', '4.2');
  const bodyOf = (e: Endpoint) => (e.method === 'POST' && e.path === '/requests' ? submission : e.body);

  it('lists every registered route in its table', () => {
    const table = ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort();
    assert.deepEqual(registeredRoutes(sut.api.app).map((r) => `${r.method} ${r.path}`).sort(), table);
  });

  it('answers 401 without a key or with an unknown or revoked one, on every non-public endpoint', async () => {
    const issued = await sut.credentials.issue({ role: 'operator', subject: 'leaver' });
    await sut.credentials.revoke(issued.id);
    for (const e of ENDPOINTS.filter((x) => x.roles !== 'public')) {
      for (const caller of [undefined, { name: 'stranger', key: 'mu_not-a-key' }, { name: 'revoked', key: issued.apiKey }]) {
        const res = await sut.call(caller, e.method, pathOf(e), bodyOf(e));
        assert.equal(res.status, 401, `${caller?.name ?? 'anonymous'} ${e.method} ${e.path}`);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
        assert.match(res.body.message, /API key/);
      }
    }
  });

  it('answers 403 to each role the endpoint does not allow', async () => {
    let checked = 0;
    for (const e of ENDPOINTS) {
      if (e.roles === 'public' || e.roles === 'any') continue;
      for (const role of (['customer', 'operator', 'auditor'] as const).filter((r) => !(e.roles as Role[]).includes(r))) {
        const res = await sut.call(callers[role], e.method, pathOf(e), bodyOf(e));
        assert.equal(res.status, 403, `${role} ${e.method} ${e.path}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.message, new RegExp(`^role ${role} may not do this; allowed: ${e.roles.join(', ')}$`));
        checked++;
      }
    }
    assert.ok(checked >= 30, `only ${checked} role boundaries checked`);
  });

  it("answers 404, never 403, to another customer on each route a customer may use on the owner's request", async () => {
    const tenantRoutes = ENDPOINTS.filter((e) => e.path.includes(':requestId') && (e.roles === 'any' || (e.roles as Role[]).includes('customer')));
    assert.equal(tenantRoutes.length, 6);
    for (const e of tenantRoutes) {
      const res = await sut.call(otherTenant, e.method, pathOf(e), bodyOf(e));
      assert.equal(res.status, 404, `other tenant ${e.method} ${e.path}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body, { statusCode: 404, error: 'Not Found', message: `request ${requestId} not found` });
    }
    // The same answer as for a request that does not exist at all.
    const missing = await sut.call(owner, 'GET', '/requests/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.status, 404);
    const list = await sut.call(otherTenant, 'GET', '/requests');
    assert.deepEqual([list.status, list.body.total], [200, 0]);
  });

  it('lets auditors and operators read the request and its timeline, and nobody above changed it', async () => {
    for (const role of ['auditor', 'operator', 'customer'] as const) {
      const res = await sut.call(callers[role], 'GET', `/requests/${requestId}`);
      assert.equal(res.status, 200, role);
      assert.ok(res.body.timeline.some((e: { action: string }) => e.action === 'request-submitted'));
    }
    const listed = await sut.call(callers.auditor, 'GET', '/requests');
    assert.deepEqual(listed.body.items.map((r: { requestId: string }) => r.requestId), [requestId]);
    assert.deepEqual((await historyFacts(sut.h.env.client.workflow.getHandle(`update-request-${requestId}`))).acceptedUpdates, []);
  });
});
