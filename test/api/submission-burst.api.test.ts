import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateRequestWorkflowId } from '../../workflows/update-request.contract';
import { ApiHarness, type Caller } from './api-harness';

/** More submissions at once than the API's database pool has connections (10). */
const BURST = 16;

describe('API: a burst of submissions, more than the database pool holds', () => {
  let sut: ApiHarness;

  // The submission budget is raised so the burst measures intake, not the rate limit.
  before(async () => { sut = await ApiHarness.start({}, { RATE_LIMIT_SUBMISSIONS: '100' }); });
  after(async () => { await sut?.stop(); });

  const rowsOf = async (customerId: string): Promise<string[]> =>
    (await sut.h.db.dataSource.query(`SELECT request_id FROM update_requests WHERE customer_id = $1 ORDER BY request_id`, [customerId]))
      .map((r: { request_id: string }) => r.request_id);
  const workflowStatus = async (requestId: string): Promise<string> =>
    (await sut.h.env.client.workflow.getHandle(updateRequestWorkflowId(requestId)).describe()).status.name;
  const burst = (customer: Caller, body: unknown, headers: Record<string, string> = {}) =>
    Promise.all(Array.from({ length: BURST }, () => sut.call(customer, 'POST', '/requests', body, headers)));

  it('accepts every submission, each with its read-model row and a running workflow', async () => {
    const customer = await sut.customer('acme');
    const body = await sut.submission();

    const answers = await burst(customer, body);

    assert.deepEqual(answers.map((r) => r.status), Array(BURST).fill(201), JSON.stringify(answers.find((r) => r.status !== 201)?.body));
    const ids = answers.map((r) => r.body.requestId as string);
    assert.equal(new Set(ids).size, BURST, 'a new request per submission');
    assert.deepEqual(await rowsOf('acme'), [...ids].sort());
    assert.deepEqual(await Promise.all(ids.map(workflowStatus)), Array(BURST).fill('RUNNING'));
  });

  it('answers every racing retry of one Idempotency-Key with the one request it created', async () => {
    const customer = await sut.customer('globex');
    const body = await sut.submission();

    const answers = await burst(customer, body, { 'idempotency-key': 'order-burst' });

    assert.deepEqual(answers.map((r) => r.status), Array(BURST).fill(201), JSON.stringify(answers.find((r) => r.status !== 201)?.body));
    const ids = new Set(answers.map((r) => r.body.requestId as string));
    assert.equal(ids.size, 1, `one request id for every answer, got ${[...ids].join(', ')}`);
    const [requestId] = ids;
    assert.equal(answers.filter((r) => r.headers.get('idempotent-replayed') === null).length, 1, 'exactly one answer is the original');
    assert.deepEqual(await rowsOf('globex'), [requestId]);
    assert.deepEqual(
      await sut.h.db.dataSource.query(`SELECT request_id FROM idempotency_keys WHERE key = 'order-burst'`), [{ request_id: requestId }]);
    assert.equal(await workflowStatus(requestId), 'RUNNING');
  });
});
