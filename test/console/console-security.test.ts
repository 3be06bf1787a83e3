import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ConsoleSessions } from '../../api/auth/console-sessions';
import type { Caller } from '../api/api-harness';
import { assertAccessible } from '../support/browser';
import { ConsoleHarness } from './console-harness';

const DAY_MS = 86_400_000;
const MARKUP = '<img src=x onerror="window.__pwned=1">';

/** A page on another origin (another port, or another site) that posts a form to the console's origin at once. */
async function attackerSite(html: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A bodiless form POST: what a forged cross-site form can send that the API would parse at all. */
function bodilessForm(action: string): string {
  return `<!doctype html><form method="POST" action="${action}"></form><script>document.forms[0].submit()</script>`;
}

/** A text/plain form whose body reads as JSON: the classic forged cross-site POST to a JSON API. */
function forgedForm(action: string, json: string): string {
  const [name, value] = [json.slice(0, -2), json.slice(-2)];
  return `<!doctype html><form method="POST" enctype="text/plain" action="${action}">`
    + `<input type="hidden" name='${name}' value='${value}'></form><script>document.forms[0].submit()</script>`;
}

describe('Console security', () => {
  let sut: ConsoleHarness;
  let acmeKey: Caller;
  let operatorKey: Caller;
  let requestId: string;

  before(async () => {
    sut = await ConsoleHarness.start();
    await sut.person('clara@acme.example', 'customer', 'acme');
    await sut.person('gina@globex.example', 'customer', 'globex');
    await sut.person('olga@provider.example', 'operator');
    await sut.person('ada@provider.example', 'auditor');
    const issued = await sut.sut.credentials.issue({ role: 'customer', customerId: 'acme', subject: 'acme-erp' });
    acmeKey = { key: issued.apiKey, name: 'acme' };
    operatorKey = await sut.sut.staff('operator', 'ops-robot');
    // What a customer typed, with markup in it, in every free-text field a page shows.
    requestId = (await sut.sut.submit(acmeKey, {
      software: { name: `${MARKUP}Abacus`, vendor: `<b>Abacus</b>`, currentVersion: '1', targetVersion: '2' },
      contacts: [{ name: `${MARKUP}Clara`, email: 'clara@acme.example' }],
      licenceReferences: [`<script>alert(1)</script>`],
    })).requestId;
    await sut.sut.untilStatus(operatorKey, requestId, 'scheduling');
  });
  after(async () => { await sut?.stop(); });

  const status = async () => (await sut.sut.call(operatorKey, 'GET', `/requests/${requestId}`)).body.status;

  it("a customer's session neither sees nor acts on another tenant's request through any page", async () => {
    const gina = await sut.signIn('gina@globex.example');
    const detail = await gina.goto(`${sut.url}/console/requests/${requestId}`);
    assert.equal(detail?.status(), 404);
    assert.doesNotMatch(await gina.content(), /Abacus/);
    await assertAccessible(gina, 'not-found page');
    for (const path of [`/console/requests/${requestId}/calendar.ics`, `/requests/${requestId}`]) {
      assert.equal((await gina.request.get(`${sut.url}${path}`)).status(), 404, path);
    }
    for (const path of [`/console/audit/requests/${requestId}`, '/console/queue', '/console/calendar']) {
      assert.equal((await gina.goto(`${sut.url}${path}`))?.status(), 403, path);
    }
    await gina.goto(`${sut.url}/console/requests`);
    assert.doesNotMatch(await gina.locator('main').innerText(), /Abacus/);

    // Acting through the API's route from her own page, with her own CSRF token: the request does not exist for her.
    const answer = await gina.evaluate<number>(`fetch('/requests/${requestId}/cancellation', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': document.querySelector('meta[name="csrf-token"]').content },
      body: JSON.stringify({ reason: 'not mine' }) }).then((r) => r.status)`);
    assert.equal(answer, 404);
    assert.equal(await status(), 'scheduling');
  });

  it('refuses a forged cross-site POST, from another port of the same host and from another site', async () => {
    const clara = await sut.signIn('clara@acme.example');
    const target = `${sut.url}/requests/${requestId}/cancellation`;
    // A text/plain body dressed as JSON is no JSON: refused before anything runs.
    const plain = await attackerSite(forgedForm(target, '{"reason":"forged"}'));
    try {
      const refused = clara.waitForResponse((r) => r.url() === target);
      await clara.goto(`http://127.0.0.1:${plain.port}/`);
      assert.equal((await refused).status(), 415);
    } finally {
      plain.server.close();
    }
    const attacker = await attackerSite(bodilessForm(target));
    try {
      // Same site (127.0.0.1, another port): the browser sends the cookie, and the missing CSRF token stops it.
      const sameSite = clara.waitForResponse((r) => r.url() === target);
      await clara.goto(`http://127.0.0.1:${attacker.port}/`);
      assert.equal((await sameSite).status(), 403);
      // Another site (localhost): SameSite=Lax keeps the cookie home, so the post is not even authenticated.
      const crossSite = clara.waitForResponse((r) => r.url() === target);
      await clara.goto(`http://localhost:${attacker.port}/`);
      assert.equal((await crossSite).status(), 401);
    } finally {
      attacker.server.close();
    }
    // A forged sign-in (to an attacker's account) is refused as well.
    const login = await attackerSite(bodilessForm(`${sut.url}/console/session`));
    try {
      const forged = clara.waitForResponse((r) => r.url() === `${sut.url}/console/session`);
      await clara.goto(`http://127.0.0.1:${login.port}/`);
      assert.equal((await forged).status(), 403);
    } finally {
      login.server.close();
    }
    assert.equal(await status(), 'scheduling');
    const timeline = (await sut.sut.call(operatorKey, 'GET', `/requests/${requestId}`)).body.timeline;
    assert.ok(!timeline.some((e: { step: string }) => e.step === 'cancellation'));
  });

  it('refuses a used and an expired sign-in link', async () => {
    const page = await (await sut.browser.newContext()).newPage();
    const link = await sut.requestLink(page, 'olga@provider.example');
    await page.goto(link);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/console/queue');

    const again = await (await sut.browser.newContext()).newPage();
    await again.goto(link);
    await again.getByRole('button', { name: 'Continue' }).click();
    await again.getByText('this sign-in link was used already, has expired or is unknown').waitFor();
    await assertAccessible(again, 'refused sign-in link');
    assert.deepEqual(await again.context().cookies(), []);

    const late = await sut.requestLink(again, 'olga@provider.example');
    // The link's minutes pass (the database's clock decides expiry).
    await sut.sut.h.db.dataSource.query(`UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    await again.goto(late);
    await again.getByRole('button', { name: 'Continue' }).click();
    await again.getByText('this sign-in link was used already, has expired or is unknown').waitFor();
    await again.goto(`${sut.url}/console/queue`);
    assert.match(again.url(), /\/console\/sign-in$/);
  });

  it('signs a revoked session out at its next request, and a signed-out cookie stays dead', async () => {
    const clara = await sut.signIn('clara@acme.example');
    await clara.goto(`${sut.url}/console/requests`);
    assert.equal(await new ConsoleSessions(sut.sut.h.db.dataSource).revokeAllOf('clara@acme.example'), 2);
    await clara.goto(`${sut.url}/console/requests/${requestId}`);
    assert.match(clara.url(), /\/console\/sign-in$/);
    assert.deepEqual((await clara.context().cookies()).map((c) => c.name), []);

    const olga = await sut.signIn('olga@provider.example');
    const [cookie] = await olga.context().cookies();
    assert.deepEqual([cookie.name, cookie.httpOnly, cookie.sameSite, cookie.secure], ['mu_session', true, 'Lax', false]);
    await olga.getByRole('button', { name: 'Sign out' }).click();
    await olga.waitForURL('**/console/sign-in');
    const replayed = await fetch(`${sut.url}/requests`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
    assert.equal(replayed.status, 401);
  });

  /** Fails unless the page shows the typed markup as text, runs none of it, and has no inline script or style. */
  async function assertEscaped(page: Page, path: string): Promise<void> {
    await page.goto(`${sut.url}${path}`);
    await page.getByText(`${MARKUP}Abacus`).first().waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0, path);
    assert.equal(await page.evaluate('window.__pwned'), undefined, path);
    const html = await page.content();
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, `${path} has an inline script`);
    assert.doesNotMatch(html, /\sstyle=/, `${path} has an inline style`);
  }

  it('escapes what a customer typed on every page, which carry no inline script or style', async () => {
    const olga = await sut.signIn('olga@provider.example');
    await assertEscaped(olga, '/console/queue');
    const submitted = await sut.sut.call(operatorKey, 'GET', `/requests/${requestId}`);
    const slot = sut.sut.h.supportSlotAfter(new Date(Math.max(Date.parse(submitted.body.submittedAt), (await sut.sut.h.now()).getTime()) + 15 * DAY_MS));
    const proposal = await sut.sut.call(operatorKey, 'POST', `/requests/${requestId}/slot-proposals`, { ...slot, engineer: 'Erik' });
    assert.equal(proposal.status, 200);
    const clara = await sut.signIn('clara@acme.example');
    const ada = await sut.signIn('ada@provider.example');
    const pages: Array<[Page, string]> = [
      [clara, '/console/requests'], [clara, `/console/requests/${requestId}`],
      [olga, `/console/requests/${requestId}`], [olga, `/console/calendar?date=${slot.start.slice(0, 10)}`],
      [ada, '/console/requests'], [ada, `/console/requests/${requestId}`],
    ];
    for (const [page, path] of pages) await assertEscaped(page, path);
    // The vendor, typed with markup too, shows as text on the customer's request page.
    await clara.getByText(`<b>Abacus</b>`).first().waitFor();
  });

  it('answers the same for known and unknown addresses, and limits sign-in requests per address and per client', async () => {
    const ask = (email: string) => fetch(`${sut.url}/console/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }),
    }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const unknown = await ask('nobody@acme.example');
    const known = await ask('ada@provider.example');
    assert.deepEqual(unknown, known);
    assert.equal(known.status, 202);
    await sut.linkMailedTo('ada@provider.example');
    assert.ok(!sut.sut.h.mailbox.messages.some((m) => JSON.stringify(m.to).includes('nobody@acme.example')));

    // Five per address in 15 minutes (SIGN_IN_LIMIT_PER_ADDRESS), known or not.
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await ask('mallory@acme.example')).status);
    assert.deepEqual(answers, [202, 202, 202, 202, 202, 429]);
    // Thirty per client (SIGN_IN_LIMIT_PER_CLIENT), whatever the addresses.
    let refused = 0;
    for (let i = 0; i < 31 && refused === 0; i++) if ((await ask(`spray-${i}@acme.example`)).status === 429) refused = i + 1;
    assert.ok(refused > 0, 'one client asking for 31 different addresses was never limited');
  });
});
