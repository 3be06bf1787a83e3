import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { PeopleStore } from '../../api/auth/people-store';
import { projectRoot } from '../../platform/project-root';
import type { Role } from '../../workflows/update-request.contract';
import { ApiHarness } from '../api/api-harness';
import { closedPort } from '../support/api';
import { launchBrowser } from '../support/browser';
import type { HarnessOptions } from '../support/update-harness';

/** Where the browser tests leave screenshots of the main pages; the README shows them. */
export const SCREENSHOT_DIR = path.join(projectRoot(), 'docs', 'screenshots');

export const DESKTOP = { width: 1100, height: 760 };
export const PHONE = { width: 375, height: 740 };

/**
 * The API harness (time-skipping Temporal, the worker, PostgreSQL, SMTP capture) listening on a
 * port fixed before start-up, so the sign-in links it mails point at it, plus Debian's Chromium.
 * People sign in the way a person does: the sign-in form, the captured mail, its link.
 */
export class ConsoleHarness {
  private readonly usedMails = new Set<ParsedMail>();

  private constructor(readonly sut: ApiHarness, readonly browser: Browser, readonly people: PeopleStore) {}

  static async start(options: HarnessOptions = {}, env: NodeJS.ProcessEnv = {}): Promise<ConsoleHarness> {
    const port = await closedPort();
    const sut = await ApiHarness.start(options, { CONSOLE_URL: `http://127.0.0.1:${port}`, ...env }, port);
    const browser = await launchBrowser().catch(async (err) => {
      await sut.stop();
      throw err;
    });
    return new ConsoleHarness(sut, browser, new PeopleStore(sut.h.db.dataSource));
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.sut?.stop();
  }

  get url(): string {
    return this.sut.url;
  }

  /** A person who may sign in; a customer's tenant is created with them when it is new. */
  async person(email: string, role: Role, customerId?: string): Promise<string> {
    if (customerId) {
      const [known] = await this.sut.h.db.dataSource.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
      if (!known) await this.sut.credentials.createCustomer({ id: customerId, name: `${customerId} AG` });
    }
    await this.people.add({ email, role, customerId });
    return email;
  }

  /** Asks for a sign-in link on the sign-in page and returns the link of the mail that arrives. */
  async requestLink(page: Page, email: string): Promise<string> {
    await page.goto(`${this.url}/console/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.getByText('a sign-in link is on its way').waitFor();
    return this.linkMailedTo(email);
  }

  /** The link in the next sign-in mail to `email` not read before. */
  async linkMailedTo(email: string): Promise<string> {
    const mail = await this.sut.h.mailbox.waitForMatch((m) => !this.usedMails.has(m) && m.subject === 'Your sign-in link for Managed Updates'
      && (m.to && !Array.isArray(m.to) ? m.to.text : '').includes(email));
    this.usedMails.add(mail);
    const link = /(http\S+\/console\/sign-in\/link#\S+)/.exec(mail.text ?? '')?.[1];
    if (!link) throw new Error(`no sign-in link in the mail to ${email}: ${mail.text}`);
    return link;
  }

  /** A new browser context (its own cookies) signed in as `email` through a mailed link. */
  async signIn(email: string, context: BrowserContextOptions = {}): Promise<Page> {
    const page = await (await this.browser.newContext({ viewport: DESKTOP, timezoneId: 'Europe/Zurich', ...context })).newPage();
    const link = await this.requestLink(page, email);
    await page.goto(link);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/console/sign-in'));
    return page;
  }

  /** A screenshot of the viewport (small files) into docs/screenshots/. */
  async screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  }
}
