import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, type ApiResponse, type Caller } from './api-harness';

const WINDOW_SECONDS = 2;

/** Each test calls from its own client address (X-Forwarded-For through a trusted proxy), so its counters are its own. */
const from = (address: string) => ({ 'x-forwarded-for': address });

function assertRefused(res: ApiResponse): number {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.equal(res.body.error, 'Too Many Requests');
  assert.match(res.body.message, /^too many requests: at most \d+ in 2 s; retry after \d s$/);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= WINDOW_SECONDS, `Retry-After ${res.headers.get('retry-after')}`);
  return retryAfter;
}

describe('API: rate limits per key, per address, for submissions and for mail', () => {
  let sut: ApiHarness;
  let auditor: Caller;

  before(async () => {
    sut = await ApiHarness.start({}, {
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), RATE_LIMIT_PER_KEY: '4', RATE_LIMIT_PER_ADDRESS: '6',
      RATE_LIMIT_SUBMISSIONS: '2', RATE_LIMIT_MAIL: '1', API_TRUST_PROXY: 'loopback',
    });
    auditor = await sut.staff('auditor', 'ada');
  });
  after(async () => { await sut?.stop(); });

  it('refuses a burst with one key with 429 and Retry-After, other keys still served, and serves the key again after the window', async () => {
    const other = await sut.staff('auditor', 'alan');
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push(await sut.call(auditor, 'GET', '/requests', undefined, from('203.0.113.1')));
    assert.deepEqual(burst.map((r) => r.status), [200, 200, 200, 200, 429]);
    const retryAfter = assertRefused(burst[4]);
    assert.equal((await sut.call(other, 'GET', '/requests', undefined, from('203.0.113.1'))).status, 200, 'another key has its own budget');

    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    assert.equal((await sut.call(auditor, 'GET', '/requests', undefined, from('203.0.113.1'))).status, 200, 'served again after the window');
  });

  it('limits an address whatever keys it presents, before the keys are even checked', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const stranger = { name: 'stranger', key: `mu_${randomBytes(16).toString('hex')}` };
      statuses.push((await sut.call(stranger, 'GET', '/requests', undefined, from('203.0.113.2'))).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429]);
    const unauthenticated = await sut.call(undefined, 'GET', '/health', undefined, from('203.0.113.2'));
    assertRefused(unauthenticated);
    assert.notEqual((await sut.call(undefined, 'GET', '/health', undefined, from('203.0.113.3'))).status, 429, 'another address is served');
  });

  it('limits guesses at calendar feed tokens per address, as the feed needs no key', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await sut.call(undefined, 'GET', `/calendar/mucal_${randomBytes(32).toString('base64url')}.ics`, undefined, from('203.0.113.6'))).status);
    }
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 404, 429]);
  });

  it('allows fewer submissions than other calls, and refuses the extra one without starting anything', async () => {
    const customer = await sut.customer('acme');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await sut.call(customer, 'POST', '/requests', await sut.submission(), from('203.0.113.4'))).status);
    assert.deepEqual(statuses, [201, 201, 429]);
    const listed = await sut.call(customer, 'GET', '/requests', undefined, from('203.0.113.4'));
    assert.equal(listed.status, 200, 'other calls of the key go on');
    assert.equal(listed.body.total, 2);
  });

  it('allows the least for routes that send mail', async () => {
    const operator = await sut.staff('operator', 'olga');
    const first = await sut.call(operator, 'POST', '/ping', { message: '' }, from('203.0.113.5'));
    assert.equal(first.status, 400, 'an attempt counts even when refused');
    assertRefused(await sut.call(operator, 'POST', '/ping', { message: 'hi' }, from('203.0.113.5')));
    assert.equal((await sut.call(operator, 'GET', '/requests', undefined, from('203.0.113.5'))).status, 200);
  });
});
