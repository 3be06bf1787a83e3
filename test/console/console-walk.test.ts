import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import { SimulatedSessionProvider } from '../../activities/session-provider';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { VendorStore } from '../../platform/inventory/vendor-store';
import type { Caller } from '../api/api-harness';
import { assertAccessible, assertFitsWidth, tabTo } from '../support/browser';
import type { HarnessOptions } from '../support/update-harness';
import { ConsoleHarness, PHONE } from './console-harness';

const DAY_MS = 86_400_000;
const ZONE = 'Europe/Zurich';

/** What a datetime-local field takes: the wall-clock time in the browser's zone (the contexts run in Zurich). */
const localInput = (iso: string) => DateTime.fromISO(iso).setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm");

/**
 * Submits a form of the page and waits for the API's answer (which must be 200) and then for
 * `next` to show, or, by default, for the page to show the request's next version.
 */
async function act(page: Page, formId: string, route: string, fill: (form: Locator) => Promise<void> = async () => {}, next?: Locator): Promise<void> {
  const version = await page.locator('#live').getAttribute('data-version');
  const form = page.locator(`[id="${formId}"]`);
  await fill(form);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(route)),
    form.locator('button[type="submit"]').click(),
  ]);
  assert.equal(response.status(), 200, `POST ${route}: ${response.status()} ${await response.text()}`);
  await (next ?? page.locator(`#live:not([data-version="${version}"])`)).waitFor({ timeout: 20_000 });
}

/** Reloads until `locator` shows: for pages that do not follow changes by themselves (lists). */
async function reloadUntil(page: Page, locator: Locator): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await locator.isVisible())) {
    if (Date.now() > deadline) assert.fail(`${locator} did not show on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
  }
}

/** A console with its three people and the customer's system listed, and an operator's key for the test's own reads. */
async function startConsole(options: HarnessOptions): Promise<{ sut: ConsoleHarness; operatorKey: Caller }> {
  const sut = await ConsoleHarness.start(options, { TEMPORAL_UI_URL: 'http://temporal-ui.test:8080' });
  await sut.person('clara@acme.example', 'customer', 'acme');
  await sut.person('olga@provider.example', 'operator');
  await sut.person('ada@provider.example', 'auditor');
  // The system the customer's form names, as an operator has listed it.
  await new InventoryStore(sut.sut.h.db.dataSource).put({ customerId: 'acme', name: 'erp-app-01' });
  await new InstalledSoftwareStore(sut.sut.h.db.dataSource).put({
    customerId: 'acme', system: 'erp-app-01', software: 'Abacus ERP', vendor: 'Abacus', version: '2024.1', component: 'server', updatedBy: 'olga',
  });
  // Released 24 months less 30 days ago: its support ends in 30 days.
  const released = new Date(Date.now() + 30 * DAY_MS);
  released.setUTCMonth(released.getUTCMonth() - 24);
  await new VendorStore(sut.sut.h.db.dataSource).putRelease({
    vendor: 'Abacus', software: 'Abacus ERP', version: '2024.1', releasedOn: released.toISOString().slice(0, 10), supportedMonths: 24,
  });
  return { sut, operatorKey: await sut.sut.staff('operator', 'test-reader') };
}

function acmeKey(sut: ConsoleHarness): Promise<Caller> {
  return sut.sut.credentials.issue({ role: 'customer', customerId: 'acme', subject: 'acme-erp' }).then(({ apiKey }) => ({ key: apiKey, name: 'acme' }));
}

/**
 * Submits a request over the API and brings it to the start of its slot (walked through the pages in
 * the first test): a slot agreed, pre-checks passed. Returns the request's id and its target.
 */
async function reachSlotStart(sut: ConsoleHarness, operatorKey: Caller, customerKey: Caller): Promise<{ id: string; host: string }> {
  const { requestId: id } = await sut.sut.submit(customerKey);
  const detail = await sut.sut.untilStatus(operatorKey, id, 'scheduling');
  const slot = sut.sut.h.supportSlotAfter(new Date(Math.max(Date.parse(detail.submittedAt), (await sut.sut.h.now()).getTime()) + 15 * DAY_MS));
  const api = async (caller: Caller, path: string, body: unknown) =>
    assert.equal((await sut.sut.call(caller, 'POST', `/requests/${id}/${path}`, body)).status, 200, path);
  await api(operatorKey, 'slot-proposals', { ...slot, engineer: 'Erik' });
  await sut.sut.until(customerKey, id, (d) => d.waitingFor.includes('customer'), 'the proposal');
  await api(customerKey, 'slot-acceptance', {});
  await sut.sut.untilStatus(operatorKey, id, 'pre-checks');
  for (const check of ['system-requirements', 'compatibility', 'prerequisites']) await api(operatorKey, 'pre-checks', { check, passed: true, notes: 'ok' });
  await sut.sut.untilStatus(operatorKey, id, 'waiting-for-slot');
  await sut.sut.h.skipPast(slot.start);
  return { id, host: detail.request.targets[0].name };
}

describe('Console: a whole update through the pages, as customer, operator and auditor', () => {
  let sut: ConsoleHarness;
  let operatorKey: Caller;

  // Snapshots and the user check by hand, so their forms are walked too.
  beforeEach(async () => { ({ sut, operatorKey } = await startConsole({ snapshotProvider: 'manual', sessionProvider: 'manual' })); });
  afterEach(async () => { await sut?.stop(); });

  it('submits, schedules, installs, signs off and audits an update', { timeout: 300_000 }, async () => {
    // The customer, on a phone, signs in with the keyboard alone.
    const customerContext = await sut.browser.newContext({ viewport: PHONE, timezoneId: ZONE });
    const customer = await customerContext.newPage();
    await customer.goto(`${sut.url}/console/sign-in`);
    await assertAccessible(customer, 'sign-in page');
    await assertFitsWidth(customer, 'sign-in page');
    await tabTo(customer, 'input[name="email"]');
    await customer.keyboard.type('clara@acme.example');
    await customer.keyboard.press('Enter');
    await customer.getByText('a sign-in link is on its way').waitFor();
    await customer.goto(await sut.linkMailedTo('clara@acme.example'));
    await tabTo(customer, 'button[type="submit"]');
    await customer.keyboard.press('Enter');
    await customer.waitForURL('**/console/requests');
    await customer.getByText(`Abacus ERP 2024.1 on erp-app-01: support ends on ${new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10)}`).waitFor();
    await assertAccessible(customer, "customer's request list");

    // The submit form shows the API's message beside the field it is about.
    await customer.getByRole('link', { name: 'Ask for an update' }).first().click();
    await assertAccessible(customer, 'submit form');
    await assertFitsWidth(customer, 'submit form');
    const now = await sut.sut.h.now();
    const fields: Record<string, string> = {
      'software.name': 'Abacus ERP', 'software.vendor': 'Abacus', 'software.currentVersion': '2024.1', 'software.targetVersion': '2025.2',
      'releaseNotes.summary': 'New: payroll export to Swissdec 5.', 'installer.location': 'ftp://abacus.example/setup.exe', licenceReferences: 'LIC-4711',
      desiredStart: localInput(new Date(now.getTime() + 21 * DAY_MS).toISOString()),
      'targets.0.name': 'erp-app-01', 'contacts.0.name': 'Clara Kunde',
    };
    for (const [name, value] of Object.entries(fields)) await customer.locator(`[name="${name}"]`).fill(value);
    await customer.getByRole('button', { name: 'Submit request' }).click();
    await customer.locator('[data-error-for="installer.location"]', { hasText: 'https:// URL or an artifacts:// reference' }).waitFor();
    assert.equal(await customer.locator('[name="installer.location"]').getAttribute('aria-invalid'), 'true');
    await customer.locator('[name="installer.location"]').fill('https://downloads.abacus.example/erp/2025.2/setup.exe');
    await customer.getByRole('button', { name: 'Submit request' }).click();
    await customer.waitForURL(/\/console\/requests\/[0-9a-f-]{36}$/);
    const id = customer.url().split('/').pop()!;

    // The operator finds it in the queue and proposes a slot within support hours.
    const operator = await sut.signIn('olga@provider.example');
    assert.match(operator.url(), /\/console\/queue$/);
    const inQueue = operator.getByRole('link', { name: 'Abacus ERP 2025.2' });
    await reloadUntil(operator, inQueue);
    await assertAccessible(operator, 'operator queue');
    await sut.screenshot(operator, 'operator-queue');
    await inQueue.click();
    await operator.getByRole('heading', { name: 'Propose a slot' }).waitFor();
    await assertAccessible(operator, 'operator request page');
    assert.equal(await operator.getByRole('link', { name: 'The workflow in the Temporal UI' }).getAttribute('href'),
      `http://temporal-ui.test:8080/namespaces/default/workflows/update-request-${id}`);
    // Too early for the lead time: the workflow refuses, and the form says why.
    const proposal = operator.locator('[id="form-proposeSlot"]');
    await proposal.locator('[name="start"]').fill(localInput(new Date(now.getTime() + 2 * DAY_MS).toISOString()));
    await proposal.locator('[name="engineer"]').fill('Erik Engineer');
    await proposal.getByRole('button', { name: 'Propose slot' }).click();
    await proposal.getByRole('alert').filter({ hasText: /the slot violates the 14-day lead time: earliest start is/ }).waitFor();
    const detail = await sut.sut.call(operatorKey, 'GET', `/requests/${id}`);
    const slot = sut.sut.h.supportSlotAfter(new Date(Math.max(Date.parse(detail.body.submittedAt), now.getTime()) + 15 * DAY_MS));
    await act(operator, 'form-proposeSlot', '/slot-proposals', async (form) => {
      await form.locator('[name="start"]').fill(localInput(slot.start));
      await form.locator('[name="durationMinutes"]').fill(String(slot.durationMinutes));
      await form.locator('[name="engineer"]').fill('Erik Engineer');
    });

    // The customer's open page shows the proposal by itself, in the customer's zone; accepted by keyboard.
    await customer.getByRole('heading', { name: 'Accept the slot' }).waitFor({ timeout: 20_000 });
    const startText = DateTime.fromISO(slot.start).setZone(ZONE).setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm');
    await customer.getByText(`${startText} ${ZONE}`).first().waitFor();
    await assertAccessible(customer, 'customer request page with a proposal');
    await assertFitsWidth(customer, 'customer request page');
    await sut.screenshot(customer, 'customer-request');
    await tabTo(customer, '[id="form-acceptSlot"] button[type="submit"]');
    await Promise.all([
      customer.waitForResponse((r) => r.url().endsWith('/slot-acceptance') && r.status() === 200),
      customer.keyboard.press('Enter'),
    ]);

    // The calendar invitation the announcement carried, to download again.
    const invitation = customer.getByRole('link', { name: 'Download the calendar invitation' });
    await invitation.waitFor({ timeout: 20_000 });
    const ics = await customer.request.get(new URL((await invitation.getAttribute('href'))!, sut.url).href);
    assert.equal(ics.status(), 200);
    assert.match(await ics.text(), new RegExp(`UID:${id}@managed-updates[\\s\\S]*DTSTART:${slot.start.slice(0, 16).replace(/[-:]/g, '')}`));

    // Pre-checks, one form per check.
    await operator.getByRole('heading', { name: 'Record a pre-check' }).waitFor({ timeout: 20_000 });
    for (const [check, offered] of [['compatibility', 3], ['system-requirements', 2], ['prerequisites', 1]] as const) {
      await act(operator, 'form-recordPreCheck', '/pre-checks', async (form) => {
        // Only the checks still open are offered.
        assert.equal(await form.locator('[name="check"] option').count(), offered);
        await form.locator('[name="check"]').selectOption(check);
        await form.locator('[name="notes"]').fill(`${check} fine`);
      });
    }
    await operator.getByText('waiting-for-slot').first().waitFor({ timeout: 20_000 });

    // The slot starts: snapshots and the user check by hand, then each installation step.
    await sut.sut.h.skipPast(slot.start);
    await operator.getByRole('heading', { name: 'Record snapshots' }).waitFor({ timeout: 20_000 });
    await act(operator, 'form-recordSnapshots', '/snapshots', (form) => form.locator('[name="snapshots.0.snapshotId"]').fill('snap-erp-01'));
    await operator.getByRole('heading', { name: 'Report user activity' }).waitFor({ timeout: 20_000 });
    await act(operator, 'form-reportUserActivity', '/user-activity-reports', (form) => form.locator('[name="notes"]').fill('nobody signed in'),
      operator.getByRole('heading', { name: 'erp-app-01: install' }));
    await sut.screenshot(operator, 'operator-request');
    const hostForm = 'form-host-erp-app-01';
    await act(operator, hostForm, '/steps', (form) => form.locator('[name="notes"]').fill('installed'),
      operator.getByRole('heading', { name: 'erp-app-01: configure' }));
    await act(operator, hostForm, '/steps', (form) => form.locator('[name="notes"]').fill('configured'),
      operator.getByRole('heading', { name: 'erp-app-01: technical-test' }));
    await act(operator, hostForm, '/steps', async (form) => {
      for (const item of ['applicationStarts', 'servicesRunning', 'eventLogClean']) await form.locator(`[name="checklist.${item}"]`).check();
      await form.locator('[name="notes"]').fill('all green');
    }, operator.getByText('functional-testing').first());

    // The customer signs off, by keyboard.
    await customer.getByRole('heading', { name: 'Sign off' }).waitFor({ timeout: 20_000 });
    await tabTo(customer, '[id="form-signOff"] textarea');
    await customer.keyboard.type('invoices print, reports run');
    await customer.keyboard.press('Tab');
    await Promise.all([customer.waitForResponse((r) => r.url().endsWith('/sign-off') && r.status() === 200), customer.keyboard.press('Enter')]);

    // Retention runs out; the operator confirms the snapshots deleted and the request closes.
    const retained = await sut.sut.until(operatorKey, id, (d) => d.live?.steps.retention?.deleteAfter, 'the retention');
    await sut.sut.h.skipPast(retained.live.steps.retention.deleteAfter);
    await operator.getByRole('heading', { name: 'Confirm snapshots deleted' }).waitFor({ timeout: 20_000 });
    assert.equal(await operator.locator('[name="snapshotIds"]').inputValue(), 'snap-erp-01');
    await act(operator, 'form-confirmSnapshotsDeleted', '/snapshots/deleted', (form) => form.locator('[name="notes"]').fill('deleted in the console'),
      operator.getByText('completed').first());
    await operator.goto(`${sut.url}/console/calendar?view=week&date=${DateTime.fromISO(slot.start).setZone(ZONE).toISODate()}`);
    await operator.getByRole('link', { name: /Abacus ERP 2025\.2/ }).waitFor();
    await assertAccessible(operator, 'calendar, week');
    await sut.screenshot(operator, 'operator-calendar');
    await operator.goto(`${sut.url}/console/calendar?view=month`);
    await assertAccessible(operator, 'calendar, month');
    await operator.setViewportSize(PHONE);
    for (const path of ['/console/calendar?view=month', '/console/queue', `/console/requests/${id}`]) {
      await operator.goto(`${sut.url}${path}`);
      await assertFitsWidth(operator, path);
    }

    // The auditor reads the timeline, the audit report with its replay verdict, and the archive's verification.
    const auditor = await sut.signIn('ada@provider.example');
    await auditor.getByRole('link', { name: 'Abacus ERP 2025.2' }).click();
    for (const action of ['slot-accepted', 'signed-off', 'snapshots-deleted']) await auditor.getByRole('cell', { name: action, exact: true }).first().waitFor();
    await auditor.getByRole('link', { name: 'Audit report and replay verdict' }).click();
    await auditor.getByText('Every history replays against the current workflow code.').waitFor();
    await auditor.getByText(/Every one of the \d+ entries agrees with the audit table/).waitFor();
    await assertAccessible(auditor, 'audit report');
    await sut.screenshot(auditor, 'audit-report');
    await auditor.getByRole('link', { name: 'Archive' }).click();
    await auditor.getByText(/The chain is intact/).waitFor();
    await assertAccessible(auditor, 'archive verification');

    // Every action above reached the workflow as an Update of the API, with the person as its actor.
    const closed = await sut.sut.call(operatorKey, 'GET', `/requests/${id}`);
    assert.equal(closed.body.status, 'completed');
    const signedOff = closed.body.timeline.find((e: { action: string }) => e.action === 'signed-off');
    assert.deepEqual([signedOff.actor, signedOff.role, signedOff.evidence.notes], ['clara@acme.example', 'customer', 'invoices print, reports run']);
    const installed = closed.body.timeline.find((e: { action: string }) => e.action === 'install-passed');
    assert.equal(installed.actor, 'olga@provider.example');
  });

  it('states the surcharge of an off-hours slot, lets the customer ask for another, and asks for written confirmation', async () => {
    const { requestId: id } = await sut.sut.submit(await acmeKey(sut));
    const detail = await sut.sut.untilStatus(operatorKey, id, 'scheduling');
    const evening = sut.sut.h.eveningSlotAfter(new Date(Math.max(Date.parse(detail.submittedAt), (await sut.sut.h.now()).getTime()) + 15 * DAY_MS));
    const propose = async () => assert.equal((await sut.sut.call(operatorKey, 'POST', `/requests/${id}/slot-proposals`, { ...evening, engineer: 'Erik' })).status, 200);
    await propose();

    const customer = await sut.signIn('clara@acme.example', { viewport: PHONE });
    await customer.goto(`${sut.url}/console/requests/${id}`);
    await customer.getByText('Outside support hours: a surcharge applies, and accepting needs your written confirmation.').waitFor();
    await act(customer, 'form-requestAnotherSlot', '/slot-change-requests', (form) => form.getByLabel('Reason').fill('our accountants work late'),
      customer.getByText('waiting for operator').first());

    await propose();
    await customer.getByRole('heading', { name: 'Accept the off-hours slot' }).waitFor({ timeout: 20_000 });
    await assertAccessible(customer, 'off-hours acceptance');
    await assertFitsWidth(customer, 'off-hours acceptance');
    await act(customer, 'form-acceptSlot', '/slot-acceptance', (form) => form.getByLabel('Your name (written confirmation)').fill('Clara Kunde'),
      customer.getByRole('heading', { name: 'Agreed slot' }));

    const after = await sut.sut.call(operatorKey, 'GET', `/requests/${id}`);
    const accepted = after.body.timeline.find((e: { action: string }) => e.action === 'slot-accepted');
    assert.deepEqual([accepted.actor, accepted.evidence.surcharge, accepted.evidence.confirmedBy], ['clara@acme.example', true, 'Clara Kunde']);
    const asked = after.body.timeline.find((e: { action: string }) => e.action === 'another-slot-requested');
    assert.deepEqual([asked.actor, asked.evidence.reason], ['clara@acme.example', 'our accountants work late']);
  });

  it("decides a failed host step on the host's form, then takes the customer's reported failure to a rollback", { timeout: 180_000 }, async () => {
    // Up to the installation over the API (walked through the pages above).
    const customerKey = await acmeKey(sut);
    const { id, host } = await reachSlotStart(sut, operatorKey, customerKey);
    const api = async (caller: Caller, path: string, body: unknown) =>
      assert.equal((await sut.sut.call(caller, 'POST', `/requests/${id}/${path}`, body)).status, 200, path);
    await sut.sut.untilStatus(operatorKey, id, 'snapshots');
    await api(operatorKey, 'snapshots', { snapshots: [{ target: host, snapshotId: 'snap-1' }] });
    await sut.sut.untilStatus(operatorKey, id, 'user-activity');
    await api(operatorKey, 'user-activity-reports', { activeUsers: 0, notes: 'none' });

    const operator = await sut.signIn('olga@provider.example');
    await operator.goto(`${sut.url}/console/requests/${id}`);
    const hostForm = `form-host-${host}`;
    for (const [step, next] of [['install', 'configure'], ['configure', 'technical-test']]) {
      await operator.getByRole('heading', { name: `${host}: ${step}` }).waitFor({ timeout: 20_000 });
      await act(operator, hostForm, '/steps', (form) => form.locator('[name="notes"]').fill('done'),
        operator.getByRole('heading', { name: `${host}: ${next}` }));
    }
    // The technical test fails on one checklist item; the host's form becomes the decision on the failure.
    await act(operator, hostForm, '/steps', async (form) => {
      await form.locator('[name="passed"]').selectOption('false');
      await form.locator('[name="checklist.applicationStarts"]').check();
      await form.locator('[name="checklist.servicesRunning"]').check();
      await form.locator('[name="notes"]').fill('driver errors in the event log');
    }, operator.getByRole('heading', { name: `Failure on ${host}` }));
    await assertAccessible(operator, 'failure decision');
    await act(operator, hostForm, '/failure-decision', async (form) => {
      await form.locator('[name="decision"]').selectOption('retry');
      await form.locator('[name="reason"]').fill('driver reinstalled');
    }, operator.getByRole('heading', { name: `${host}: technical-test` }));
    await act(operator, hostForm, '/steps', async (form) => {
      for (const item of ['applicationStarts', 'servicesRunning', 'eventLogClean']) await form.locator(`[name="checklist.${item}"]`).check();
      await form.locator('[name="notes"]').fill('clean now');
    }, operator.getByText('functional-testing').first());

    // The customer reports a failure with a description; the operator rolls back.
    const customer = await sut.signIn('clara@acme.example');
    await customer.goto(`${sut.url}/console/requests/${id}`);
    await act(customer, 'form-rejectUpdate', '/rejection', (form) => form.getByLabel('What failed in your tests').fill('invoices print without the logo'),
      customer.getByText('waiting for operator').first());
    await operator.getByRole('heading', { name: 'Resolve the reported failure' }).waitFor({ timeout: 20_000 });
    await act(operator, 'form-resolveRejection', '/rejection-resolution', async (form) => {
      await form.locator('[name="decision"]').selectOption('rollback');
      await form.locator('[name="reason"]').fill('the print module needs the vendor');
    }, operator.getByRole('heading', { name: 'Confirm snapshots restored' }));
    await act(operator, 'form-confirmSnapshotsRestored', '/snapshots/restored', (form) => form.locator('[name="notes"]').fill('restored'),
      operator.getByText('snapshot-retention').first());

    const actions = (await sut.sut.call(operatorKey, 'GET', `/requests/${id}`)).body.timeline.map((e: { action: string }) => e.action);
    for (const expected of ['technical-test-failed', 'failure-retry', 'technical-test-passed', 'functional-test-failed', 'rollback-decided', 'snapshots-restored']) {
      assert.ok(actions.includes(expected), `timeline lacks ${expected}: ${actions.join(', ')}`);
    }
  });
});

describe('Console: with a session provider that checks hosts, the engineer confirms the technical test', () => {
  let sut: ConsoleHarness;
  let operatorKey: Caller;

  beforeEach(async () => { ({ sut, operatorKey } = await startConsole({ sessionProvider: new SimulatedSessionProvider(() => 0, true) })); });
  afterEach(async () => { await sut?.stop(); });

  it("offers the confirmation on the host's form once the automated test has passed", { timeout: 180_000 }, async () => {
    const { id, host } = await reachSlotStart(sut, operatorKey, await acmeKey(sut));
    const operator = await sut.signIn('olga@provider.example');
    await operator.goto(`${sut.url}/console/requests/${id}`);
    const hostForm = `form-host-${host}`;
    for (const [step, next] of [['install', 'configure'], ['configure', 'confirm the technical test']]) {
      await operator.getByRole('heading', { name: `${host}: ${step}` }).waitFor({ timeout: 20_000 });
      await act(operator, hostForm, '/steps', (form) => form.locator('[name="notes"]').fill('done'),
        operator.getByRole('heading', { name: `${host}: ${next}` }));
    }
    await assertAccessible(operator, 'technical test confirmation');
    await act(operator, hostForm, '/technical-test-confirmation', (form) => form.locator('[name="notes"]').fill('evidence reviewed'),
      operator.getByText('functional-testing').first());
    const timeline = (await sut.sut.call(operatorKey, 'GET', `/requests/${id}`)).body.timeline as Array<{ action: string; actor: string }>;
    assert.deepEqual(timeline.filter((e) => e.action.startsWith('technical-test-')).map((e) => [e.action, e.actor]),
      [['technical-test-passed', 'system'], ['technical-test-confirmed', 'olga@provider.example']]);
  });
});
