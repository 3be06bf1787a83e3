import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { ApiHarness } from './api-harness';

/** Debian's Chromium (`.ci/run` installs it); Playwright's own browser download cannot work offline. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('API: /docs in a real browser under the content security policy', () => {
  let sut: ApiHarness;
  let browser: Browser;

  before(async () => {
    sut = await ApiHarness.start();
    // --no-sandbox: the tests run as root.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await sut?.stop();
  });

  it('renders every operation and runs a call from the page, with no policy violation', async () => {
    const page = await (await browser.newContext()).newPage();
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('pageerror', (error) => problems.push(String(error)));

    await page.goto(`${sut.url}/docs`);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    const served = (await sut.call(undefined, 'GET', '/docs-json')).body as { paths: Record<string, object> };
    const operations = Object.values(served.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    assert.equal(await page.locator('.opblock').count(), operations);

    const health = page.locator('.opblock', { has: page.locator('[data-path="/health"]') });
    await health.locator('.opblock-summary').click();
    await health.locator('.try-out__btn').click();
    await health.locator('.execute').click();
    const status = health.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 10_000 });
    assert.match(await status.innerText(), /^(200|503)/, 'the page called the API itself');

    assert.deepEqual(problems, []);
  });
});
