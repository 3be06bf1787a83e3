import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, type ApiResponse } from './api-harness';

/** The content security policy as directive → sources. */
function policyOf(res: ApiResponse): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}

function assertSecurityHeaders(res: ApiResponse, what: string): Map<string, string[]> {
  const policy = policyOf(res);
  assert.deepEqual(policy.get('script-src'), ["'self'"], `${what}: scripts only from the API itself`);
  assert.deepEqual(policy.get('script-src-attr'), ["'none'"], `${what}: no inline event handlers`);
  assert.deepEqual(policy.get('frame-ancestors'), ["'none'"], what);
  assert.deepEqual(policy.get('object-src'), ["'none'"], what);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(res.headers.get('x-powered-by'), null, what);
  return policy;
}

describe('API: security headers on everything it serves', () => {
  let sut: ApiHarness;

  before(async () => { sut = await ApiHarness.start(); });
  after(async () => { await sut?.stop(); });

  it('sends them with JSON answers, errors and refusals alike, with no inline styles there', async () => {
    const operator = await sut.staff('operator', 'olga');
    await sut.customer('acme');
    const feed = new URL((await sut.call(operator, 'POST', '/customers/acme/calendar-feed', {})).body.url).pathname;
    for (const [what, res] of [
      ['a list', await sut.call(operator, 'GET', '/requests')],
      ['a 401', await sut.call(undefined, 'GET', '/requests')],
      ['a 404', await sut.call(operator, 'GET', '/no-such-route')],
      ['a 400 from the body parser', await sut.call(operator, 'POST', '/ping', '{"message":')],
      ['metrics', await sut.call(undefined, 'GET', '/metrics')],
      ['a calendar feed', await sut.call(undefined, 'GET', feed)],
      ['an unknown calendar feed', await sut.call(undefined, 'GET', '/calendar/mucal_unknown.ics')],
    ] as const) {
      assert.deepEqual(assertSecurityHeaders(res, what).get('style-src'), ["'self'"], what);
    }
  });

  it('serves /docs under the policy: every script a file of its own that loads, none inline', async () => {
    const page = await sut.call(undefined, 'GET', '/docs');
    assert.equal(page.status, 200);
    assertSecurityHeaders(page, '/docs');
    const scripts = [...String(page.body).matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 3, `only ${scripts.length} scripts`);
    for (const [tag, attributes, body] of scripts) {
      assert.equal(body.trim(), '', `inline script: ${tag.slice(0, 80)}`);
      const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
      assert.ok(src, `script without src: ${tag}`);
      const script = await sut.call(undefined, 'GET', new URL(src, `${sut.url}/docs`).pathname);
      assert.equal(script.status, 200, src);
      assert.match(script.headers.get('content-type') ?? '', /javascript/, src);
      assertSecurityHeaders(script, src);
    }
    const init = await sut.call(undefined, 'GET', '/docs/swagger-ui-init.js');
    assert.match(init.body, /SwaggerUIBundle/, 'the page is set up by a script file, not inline');
  });
});
