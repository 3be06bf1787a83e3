import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closedPort, startApi, testConfig, type RunningApi } from '../support/api';
import { historyFacts } from '../support/update-harness';
import { ApiHarness, type Caller } from './api-harness';
import { TcpRelay } from './tcp-relay';

describe('API: every error class, its status and its message', () => {
  let sut: ApiHarness;
  let customer: Caller & { customerId: string };
  let operator: Caller;

  before(async () => {
    sut = await ApiHarness.start();
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga');
  });
  after(async () => { await sut?.stop(); });

  const rowsOf = async (customerId: string) =>
    (await sut.h.db.dataSource.query(`SELECT count(*)::int AS n FROM update_requests WHERE customer_id = $1`, [customerId]))[0].n as number;
  const history = (requestId: string) => historyFacts(sut.h.env.client.workflow.getHandle(`update-request-${requestId}`));

  it('refuses an invalid submission with 400 and one message per field, and starts nothing', async () => {
    const before = await rowsOf('acme');
    const body = {
      ...(await sut.submission()),
      software: { name: 5, vendor: 'Abacus', currentVersion: '1', targetVersion: '2' },
      category: 'bogus',
      installer: { location: 'ftp://downloads.example/setup.exe' },
      performer: { kind: 'partner' },
      desiredStart: '2026-12-01',
      targets: [],
      contacts: undefined,
      surprise: true,
    };

    const res = await sut.call(customer, 'POST', '/requests', body);

    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'Bad Request');
    assert.deepEqual([...res.body.message].sort(), [
      'category must be one of the following values: feature, maintenance, security, server',
      'contacts must be an array',
      'desiredStart must be an ISO-8601 date-time with offset, e.g. 2026-12-01T08:00:00Z',
      'installer.location must be an https:// URL or an artifacts:// reference',
      'performer.partnerContact is required when a partner performs the update',
      'property surprise should not exist',
      'software.name must be a string',
      'targets must contain at least 1 elements',
    ]);
    assert.equal(await rowsOf('acme'), before);
  });

  it('refuses an invalid action body with 400 per field before the workflow sees it', async () => {
    const { requestId } = await sut.submit(customer);
    await sut.untilStatus(operator, requestId, 'scheduling');

    const res = await sut.call(operator, 'POST', `/requests/${requestId}/slot-proposals`, { start: 'tomorrow', durationMinutes: 'long' });

    assert.equal(res.status, 400);
    assert.deepEqual([...res.body.message].sort(), [
      'durationMinutes must be an integer number',
      'engineer must be a string',
      'start must be an ISO-8601 date-time with offset, e.g. 2026-12-01T08:00:00Z',
    ]);
    assert.deepEqual((await history(requestId)).acceptedUpdates, []);
  });

  it("answers a validator's refusal with 409 and its reason; history and the metric show it", async () => {
    const { requestId } = await sut.submit(customer);
    await sut.untilStatus(operator, requestId, 'scheduling');

    const res = await sut.call(customer, 'POST', `/requests/${requestId}/sign-off`, {});

    assert.equal(res.status, 409);
    assert.deepEqual(res.body, { statusCode: 409, error: 'Conflict', message: 'the update is not waiting for functional tests (status scheduling)' });
    assert.deepEqual((await history(requestId)).acceptedUpdates, []);
    const metrics = await sut.call(undefined, 'GET', '/metrics');
    assert.match(metrics.body, /^workflow_updates_refused_total\{update="signOff"\} [1-9]/m);
  });

  it('answers 409 to any action on a closed request', async () => {
    const { requestId } = await sut.submit(customer);
    await sut.untilStatus(operator, requestId, 'scheduling');
    const cancelled = await sut.call(customer, 'POST', `/requests/${requestId}/cancellation`, { reason: 'budget frozen' });
    assert.equal(cancelled.status, 200);
    await sut.untilStatus(customer, requestId, 'cancelled');

    const res = await sut.call(operator, 'POST', `/requests/${requestId}/slot-proposals`, { start: '2030-01-07T08:00:00Z', durationMinutes: 60, engineer: 'e' });

    assert.equal(res.status, 409);
    assert.equal(res.body.message, 'the request is closed (status cancelled): no action is possible');
  });

  it('answers 404 for an unknown request and an unknown target', async () => {
    const unknown = await sut.call(operator, 'POST', '/requests/no-such-request/pre-checks', { check: 'compatibility', passed: true, notes: 'n' });
    assert.deepEqual([unknown.status, unknown.body.message], [404, 'request no-such-request not found']);
    const { requestId } = await sut.submit(customer);
    await sut.untilStatus(operator, requestId, 'scheduling');
    const target = await sut.call(operator, 'POST', `/requests/${requestId}/hosts/not-a-vm/steps`, { step: 'install', passed: true, notes: 'n' });
    assert.deepEqual([target.status, target.body.message], [404, `request ${requestId} has no target not-a-vm`]);
  });

  it('refuses a body over the limit with 413 and malformed JSON with 400, in the error format', async () => {
    const big = await sut.call(customer, 'POST', '/requests', JSON.stringify({ ...(await sut.submission()), licenceReferences: ['x'.repeat(100_000)] }));
    assert.deepEqual([big.status, big.body], [413, { statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' }]);
    const malformed = await sut.call(customer, 'POST', '/requests', '{"software":');
    assert.deepEqual([malformed.status, malformed.body.statusCode], [400, 400]);
    const metrics = await sut.call(undefined, 'GET', '/metrics');
    assert.match(metrics.body, /^http_requests_total\{method="POST",route="unmatched",status="413"\} [1-9]/m);
  });

  describe('idempotent submission', () => {
    it('returns the first result for a retry with the same key, also when retries race', async () => {
      const globex = await sut.customer('globex');
      const body = await sut.submission();
      const headers = { 'idempotency-key': 'order-4711' };

      const racing = await Promise.all([1, 2, 3].map(() => sut.call(globex, 'POST', '/requests', body, headers)));
      const later = await sut.call(globex, 'POST', '/requests', body, headers);

      const answers = [...racing, later];
      assert.deepEqual(answers.map((r) => r.status), [201, 201, 201, 201]);
      assert.equal(answers.filter((r) => r.headers.get('idempotent-replayed') === null).length, 1, 'exactly one submission is new');
      assert.equal(later.headers.get('idempotent-replayed'), 'true');
      const first = answers.find((r) => r.headers.get('idempotent-replayed') === null)!;
      assert.deepEqual(new Set(answers.map((r) => r.body.requestId)), new Set([first.body.requestId]));
      assert.equal(await rowsOf('globex'), 1);
      await sut.untilStatus(globex, first.body.requestId, 'scheduling');
      // The same key is another customer's own business.
      const other = await sut.call(customer, 'POST', '/requests', body, headers);
      assert.equal(other.status, 201);
      assert.notEqual(other.body.requestId, first.body.requestId);
    });

    it('refuses the same key with a different body with 422, naming the first request', async () => {
      const initech = await sut.customer('initech');
      const body = await sut.submission();
      const first = await sut.call(initech, 'POST', '/requests', body, { 'idempotency-key': 'k-1' });

      const changed = await sut.call(initech, 'POST', '/requests', { ...body, severity: 'blocker' }, { 'idempotency-key': 'k-1' });

      assert.equal(changed.status, 422);
      assert.equal(changed.body.message,
        `Idempotency-Key k-1 was already used for request ${first.body.requestId} with a different body; use a new key for a new request`);
      assert.equal(await rowsOf('initech'), 1);
    });
  });

  describe('with Temporal unreachable', () => {
    let offline: RunningApi;
    before(async () => {
      offline = await startApi(testConfig(sut.h.env, sut.h.db, sut.h.mailbox, {
        TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, TEMPORAL_TASK_QUEUE: sut.h.taskQueue,
      }));
    });
    after(async () => { await offline?.app.close(); });

    it('answers a submission with 503 and Retry-After, and keeps neither the request nor its key', async () => {
      const hooli = await sut.customer('hooli');
      const res = await fetch(`${offline.url}/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hooli.key}`, 'idempotency-key': 'try-1' },
        body: JSON.stringify(await sut.submission()),
      });

      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.deepEqual(await res.json(), { statusCode: 503, error: 'Service Unavailable', message: 'Temporal is unreachable, try again later' });
      assert.equal(await rowsOf('hooli'), 0);
      assert.deepEqual(await sut.h.db.dataSource.query(`SELECT key FROM idempotency_keys WHERE key = 'try-1'`), []);
    });

    it('still reads a request from PostgreSQL, without live state', async () => {
      const { requestId } = await sut.submit(customer);
      await sut.untilStatus(operator, requestId, 'scheduling');
      const res = await fetch(`${offline.url}/requests/${requestId}`, { headers: { authorization: `Bearer ${customer.key}` } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { status: string; live: unknown; timeline: unknown[] };
      assert.deepEqual([body.status, body.live], ['scheduling', null]);
      assert.ok(body.timeline.length > 0);
    });
  });

  describe('with PostgreSQL unreachable', () => {
    let relay: TcpRelay;
    let cutOff: RunningApi;
    before(async () => {
      const database = new URL(sut.h.db.url);
      relay = new TcpRelay(database.hostname, Number(database.port || 5432));
      database.port = String(await relay.open());
      cutOff = await startApi(testConfig(sut.h.env, sut.h.db, sut.h.mailbox, { DATABASE_URL: database.toString(), TEMPORAL_TASK_QUEUE: sut.h.taskQueue }));
    });
    after(async () => {
      await relay?.cut();
      await cutOff?.app.close();
    });

    it('answers with 503 and Retry-After, never a 500 or a stack trace', async () => {
      const get = () => fetch(`${cutOff.url}/requests`, { headers: { authorization: `Bearer ${customer.key}` } });
      assert.equal((await get()).status, 200);

      await relay.cut();
      const res = await get();

      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.deepEqual(await res.json(), { statusCode: 503, error: 'Service Unavailable', message: 'PostgreSQL is unreachable, try again later' });
    });
  });
});
