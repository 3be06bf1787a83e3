import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), driven by playwright-core:
 * Playwright's own browser download cannot work on our machines. `--no-sandbox` because tests run
 * as root; the other flags keep Chromium off the network it would otherwise call home to.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Fails the test on any serious or critical axe-core violation of the page as it is now. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`), [],
    `${what} has accessibility violations`);
}

/** Fails when the page is wider than the viewport (a 375 px phone must not scroll sideways). */
export async function assertFitsWidth(page: Page, what: string): Promise<void> {
  // Strings run in the page: the test build has no DOM types.
  const { scroll, viewport } = await page.evaluate<{ scroll: number; viewport: number }>(
    '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })');
  assert.ok(scroll <= viewport, `${what} is ${scroll} px wide in a ${viewport} px viewport`);
}

/** Presses Tab until `selector` has the focus: proves it is reachable by keyboard alone. */
export async function tabTo(page: Page, selector: string, maxPresses = 80): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  assert.fail(`${selector} is not reachable with ${maxPresses} presses of Tab`);
}
