import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Caller } from '../api/api-harness';
import { assertAccessible } from '../support/browser';
import { ConsoleHarness } from './console-harness';

describe('Console: release history and the prioritised queue', () => {
  let sut: ConsoleHarness;
  let acmeKey: Caller;
  let signedOff: string;

  before(async () => {
    sut = await ConsoleHarness.start();
    await sut.person('clara@acme.example', 'customer', 'acme');
    await sut.person('gina@globex.example', 'customer', 'globex');
    await sut.person('olga@provider.example', 'operator');
    const issued = await sut.sut.credentials.issue({ role: 'customer', customerId: 'acme', subject: 'acme-erp' });
    acmeKey = { key: issued.apiKey, name: 'acme' };
    [signedOff] = await sut.sut.signedOff(acmeKey, [{
      software: { name: 'Contoso Ledger', vendor: 'Contoso', currentVersion: '4.1.0.0', targetVersion: '4.2.0.0' },
      releaseNotes: { summary: 'New: bank file export.', link: 'https://contoso.example/ledger/4.2' },
    }]);
  });
  after(async () => { await sut?.stop(); });

  it("shows a customer its release history from the navigation, and no one else's", async () => {
    const clara = await sut.signIn('clara@acme.example');
    await clara.getByRole('link', { name: 'Release history' }).click();
    await clara.getByRole('heading', { name: 'Your release history' }).waitFor();
    const row = clara.getByRole('row', { name: /Contoso Ledger/ });
    assert.match(await row.innerText(), /4\.1\.0\.0 → 4\.2\.0\.0\s+minor-release \(feature, severity major\)[\s\S]*New: bank file export\./);
    assert.equal(await row.getByRole('link', { name: 'Contoso Contoso Ledger' }).getAttribute('href'), `/console/requests/${signedOff}`);
    await assertAccessible(clara, 'release history');

    const gina = await sut.signIn('gina@globex.example');
    assert.equal((await gina.goto(`${sut.url}/console/customers/acme/releases`))?.status(), 404);
    assert.doesNotMatch(await gina.content(), /Contoso/);
    await gina.goto(`${sut.url}/console/customers/globex/releases`);
    assert.match(await gina.locator('main').innerText(), /No update has been carried out yet/);
  });

  it("shows operators each queued request's priority and leads to the customer's history", async () => {
    const blocker = (await sut.sut.submit(acmeKey, { severity: 'blocker' })).requestId;
    const minor = (await sut.sut.submit(acmeKey, { severity: 'minor' })).requestId;
    const operatorKey = await sut.sut.staff('operator', 'ops-robot');
    for (const id of [blocker, minor]) await sut.sut.until(operatorKey, id, (d) => d.waitingFor.includes('operator'), `${id} queued`);
    const olga = await sut.signIn('olga@provider.example');
    await olga.goto(`${sut.url}/console/queue`);
    const rows = await olga.locator('tbody tr').all();
    const first = rows[0];
    const last = rows[rows.length - 1];
    assert.match(await first.innerText(), /^1 \(blocker, next-service-pack\)/);
    assert.equal(await first.locator(`a[href="/console/requests/${blocker}"]`).count(), 1);
    assert.match(await last.innerText(), /^4 \(minor, next-minor-release\)/);
    assert.equal(await last.locator(`a[href="/console/requests/${minor}"]`).count(), 1);
    await assertAccessible(olga, 'queue');
    await olga.goto(`${sut.url}/console/requests/${blocker}`);
    assert.match(await olga.locator('main').innerText(), /Priority\s+1 \(blocker, next-service-pack\)/);
    await olga.goto(`${sut.url}/console/queue`);
    await olga.getByRole('link', { name: 'acme' }).first().click();
    await olga.getByRole('heading', { name: 'Release history of acme' }).waitFor();
    assert.match(await olga.locator('main').innerText(), /Contoso Ledger/);
  });
});
