import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXACT_TOTAL_LIMIT } from '../../api/requests/request-views.dto';
import { ConsoleHarness } from '../console/console-harness';
import type { Caller } from './api-harness';

describe('API and console: a list counts its matches up to a bound', () => {
  let sut: ConsoleHarness;
  let bulk: Caller;
  let edge: Caller;
  let operator: Caller;

  /** `count` read-model rows of one customer, newest first by number, as the workflow projects them. */
  const project = (customerId: string, count: number, softwareName: (i: number) => string) =>
    sut.sut.h.db.dataSource.query(
      `INSERT INTO update_requests (request_id, workflow_id, customer_id, software_name, target_version, category, status,
         current_step, pending_roles, submitted_at, updated_at)
       SELECT $1 || '-' || i, 'update-request-' || $1 || '-' || i, $1, name, '2', 'feature', 'scheduling', 'scheduling',
         ARRAY['operator'], now() - make_interval(mins => i::int), now()
       FROM unnest($2::text[]) WITH ORDINALITY AS names(name, i)`,
      [customerId, Array.from({ length: count }, (_, i) => softwareName(i + 1))]);

  before(async () => {
    sut = await ConsoleHarness.start();
    bulk = await sut.sut.customer('bulk');
    edge = await sut.sut.customer('edge');
    operator = await sut.sut.staff('operator', 'olga');
    await project('bulk', EXACT_TOTAL_LIMIT + 5, (i) => (i % 400 === 0 ? 'Rare Tool' : 'Abacus ERP'));
    await project('edge', EXACT_TOTAL_LIMIT, () => 'Office');
  });
  after(async () => { await sut?.stop(); });

  const list = async (caller: Caller, query: string) => {
    const res = await sut.sut.call(caller, 'GET', `/requests${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { total: res.body.total, totalExact: res.body.totalExact, items: res.body.items.length };
  };

  it('answers the bound, not exact, when more requests match', async () => {
    assert.deepEqual(await list(bulk, ''), { total: EXACT_TOTAL_LIMIT, totalExact: false, items: 20 });
    assert.deepEqual(await list(operator, '?software=erp'), { total: EXACT_TOTAL_LIMIT, totalExact: false, items: 20 });
  });

  it('counts exactly up to the bound', async () => {
    assert.deepEqual(await list(edge, ''), { total: EXACT_TOTAL_LIMIT, totalExact: true, items: 20 });
    assert.deepEqual(await list(operator, '?software=rare'), { total: 2, totalExact: true, items: 2 });
  });

  it('counts to the end of a page beyond the bound, and answers an empty page past the last match', async () => {
    const pageAfterBound = EXACT_TOTAL_LIMIT / 20 + 1;
    assert.deepEqual(await list(bulk, `?page=${pageAfterBound}`), { total: EXACT_TOTAL_LIMIT + 5, totalExact: true, items: 5 });
    assert.deepEqual(await list(bulk, `?page=${pageAfterBound + 1}`), { total: EXACT_TOTAL_LIMIT + 5, totalExact: true, items: 0 });
  });

  it("says 'more than' on the console's list when the count stopped", async () => {
    await sut.person('olga@provider.example', 'operator');
    const olga = await sut.signIn('olga@provider.example');
    await olga.goto(`${sut.url}/console/requests`);
    await olga.getByText(`More than ${EXACT_TOTAL_LIMIT} requests.`).waitFor();
    await sut.person('eddie@edge.example', 'customer', 'edge');
    const eddie = await sut.signIn('eddie@edge.example');
    await eddie.goto(`${sut.url}/console/requests`);
    await eddie.getByText(`${EXACT_TOTAL_LIMIT} request(s).`).waitFor();
  });
});
