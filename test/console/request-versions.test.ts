import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { VendorStore } from '../../platform/inventory/vendor-store';
import type { Caller } from '../api/api-harness';
import { assertAccessible } from '../support/browser';
import { ConsoleHarness } from './console-harness';

describe('Console: installed versions, downgrades, first installations and support windows', () => {
  let sut: ConsoleHarness;
  let acmeKey: Caller;
  let operatorKey: Caller;

  before(async () => {
    sut = await ConsoleHarness.start();
    await sut.person('clara@acme.example', 'customer', 'acme');
    await sut.person('olga@provider.example', 'operator');
    acmeKey = { key: (await sut.sut.credentials.issue({ role: 'customer', customerId: 'acme', subject: 'acme-erp' })).apiKey, name: 'acme' };
    operatorKey = await sut.sut.staff('operator', 'ops-robot');
  });
  after(async () => { await sut?.stop(); });

  it("shows a declared downgrade with its reason and where its approval stands, before and after the operator's decision", async () => {
    const { requestId } = await sut.sut.submit(acmeKey, {
      software: { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2025.2', targetVersion: '2024.1' },
      downgrade: { reason: '2025.2 breaks the payroll export' },
    });
    await sut.sut.untilStatus(operatorKey, requestId, 'downgrade-review');
    const page = await sut.signIn('olga@provider.example');
    await page.goto(`${sut.url}/console/requests/${requestId}`);
    const facts = page.locator('dl.facts');
    await facts.getByText("2025.2 breaks the payroll export (approval: waiting for an operator's approval)").waitFor();
    assert.match(await facts.innerText(), /Kind of update\s+major-release\nDowngrade\n/);
    await assertAccessible(page, 'a downgrade to review');

    const decided = await sut.sut.call(operatorKey, 'POST', `/requests/${requestId}/downgrade-decision`, { decision: 'approve', reason: 'vendor confirmed the bug' });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    await page.reload();
    await facts.getByText('(approval: approved by ops-robot: vendor confirmed the bug)').waitFor();
    assert.doesNotMatch(await facts.innerText(), /First installation/);
  });

  it('shows a first installation, without a current version, and names it in the list', async () => {
    const { requestId } = await sut.sut.submit(acmeKey, {
      software: { name: 'Archive', vendor: 'Contoso', currentVersion: 'none', targetVersion: '1.0' }, firstInstallation: true,
    });
    await sut.sut.untilStatus(operatorKey, requestId, 'scheduling');
    const page = await sut.signIn('clara@acme.example');
    await page.getByRole('link', { name: 'Archive 1.0' }).waitFor();
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'Archive 1.0' }) });
    assert.match(await row.innerText(), /\(first-installation\)/);
    await page.getByRole('link', { name: 'Archive 1.0' }).click();
    const facts = page.locator('dl.facts');
    await facts.getByText('yes: the software is not on these systems yet').waitFor();
    const text = await facts.innerText();
    assert.match(text, /Software\s+Contoso Archive 1\.0 \(/);
    assert.doesNotMatch(text, /none →|Downgrade/);
  });

  it('lists a release leaving support with the day the customer was warned by mail', async () => {
    const db = sut.sut.h.db.dataSource;
    await new InventoryStore(db).put({ customerId: 'acme', name: 'ledger-01' });
    await new InstalledSoftwareStore(db).put({ customerId: 'acme', system: 'ledger-01', software: 'Ledger', vendor: 'Contoso', version: '4.1', component: 'server', updatedBy: 'olga' });
    const endsOn = DateTime.utc().plus({ days: 40 });
    await new VendorStore(db).putRelease({ vendor: 'Contoso', software: 'Ledger', version: '4.1', releasedOn: endsOn.minus({ months: 24 }).toISODate()!, supportedMonths: 24 });
    const page = await sut.signIn('clara@acme.example');
    const notice = page.locator('#support-notices + p + ul li', { hasText: 'Ledger 4.1 on ledger-01' });
    assert.equal(await notice.innerText(), `Ledger 4.1 on ledger-01: support ends on ${endsOn.toISODate()}`);

    await db.query(`INSERT INTO support_warnings (customer_id, system_name, software_name, version, support_ends_on, message_id, warned_at)
      VALUES ('acme', 'ledger-01', 'Ledger', '4.1', $1, 'support-ending/acme/x', '2026-11-20T06:00:00Z')`, [endsOn.toISODate()]);
    await page.reload();
    assert.equal(await notice.innerText(),
      `Ledger 4.1 on ledger-01: support ends on ${endsOn.toISODate()} (we told you by mail on Friday 20 November 2026, 07:00 Europe/Zurich)`);
  });
});
