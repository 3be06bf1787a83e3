import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PeopleStore } from '../../api/auth/people-store';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { recipientsOf } from '../support/calendar';
import { ApiHarness, type Caller } from './api-harness';

const SOFTWARE = { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2024.1', targetVersion: '2025.2' };

describe('API: publishing a critical security fix as a security advisory', () => {
  let sut: ApiHarness;
  let requester: Caller & { customerId: string };
  let operator: Caller;

  before(async () => {
    sut = await ApiHarness.start();
    requester = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga.operator');
  });
  after(async () => { await sut?.stop(); });

  /** A customer with one system running `software` (or none), and a person who reads its mail. */
  async function customerWith(id: string, language: string, software?: { version: string }): Promise<void> {
    await sut.credentials.createCustomer({ id, name: `${id} AG`, language });
    await new PeopleStore(sut.h.db.dataSource).add({ email: `it@${id}.test`, role: 'customer', customerId: id });
    await new InventoryStore(sut.h.db.dataSource).put({ customerId: id, name: `${id}-erp` });
    if (!software) return;
    await new InstalledSoftwareStore(sut.h.db.dataSource).put({
      customerId: id, system: `${id}-erp`, software: SOFTWARE.name, vendor: SOFTWARE.vendor, version: software.version, component: 'server', updatedBy: 'test-operator',
    });
  }

  const advisories = (requestId: string) => sut.h.mailbox.messages.filter((m) => m.messageId?.startsWith(`<${requestId}.security-advisory.`));

  it('mails every customer with the software installed once, in its language; a second publication is refused and sends nothing', async () => {
    const { requestId } = await sut.submit(requester, { software: SOFTWARE, category: 'security', severity: 'high', criticalSecurity: true }, 2);
    await customerWith('globex', 'de', { version: '2023.4' });
    await customerWith('initech', 'en');

    const published = await sut.call(operator, 'POST', `/requests/${requestId}/security-advisory`, {});
    assert.equal(published.status, 201, JSON.stringify(published.body));
    assert.equal(published.body.publishedBy, 'olga.operator');
    assert.ok(Math.abs(Date.parse(published.body.publishedAt) - Date.now()) < 60_000);

    const german = await sut.h.mailbox.waitForMatch((m) => m.messageId === `<${requestId}.security-advisory.globex@managed-updates>`);
    const english = await sut.h.mailbox.waitForMatch((m) => m.messageId === `<${requestId}.security-advisory.acme@managed-updates>`);
    assert.deepEqual(recipientsOf(german), ['it@globex.test']);
    assert.match(german.subject ?? '', /^Sicherheitshinweis, Update verfügbar: Abacus ERP 2025\.2$/);
    assert.match(german.text ?? '', /Die Software ist auf Ihren Systemen installiert: globex-erp \(2023\.4\)\./);
    assert.deepEqual(recipientsOf(english), ['clara@customer.test'], 'the contacts named in acme\'s requests');
    assert.match(english.text ?? '', /A critical security fix is available for Abacus Abacus ERP: version 2025\.2\./);
    assert.match(english.text ?? '', /What it fixes: New: payroll export/);
    assert.doesNotMatch(german.text ?? '', /acme/, 'another customer learns nothing of the requester');

    const again = await sut.call(operator, 'POST', `/requests/${requestId}/security-advisory`, {});
    assert.equal(again.status, 409);
    assert.match(again.body.message, /already published as a security advisory by olga\.operator/);
    const read = await sut.call(operator, 'GET', `/requests/${requestId}/security-advisory`);
    assert.deepEqual(read.body, published.body);

    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(advisories(requestId).length, 2, 'one advisory each for acme and globex, none for initech, none twice');
    assert.ok(!sut.h.mailbox.messages.some((m) => recipientsOf(m).includes('it@initech.test')));
  });

  it('refuses a request that is no critical security fix, customers, and unknown requests, recording nothing', async () => {
    const { requestId } = await sut.submit(requester, { software: SOFTWARE, severity: 'blocker', criticalSecurity: false });
    const refused = await sut.call(operator, 'POST', `/requests/${requestId}/security-advisory`, {});
    assert.equal(refused.status, 409);
    assert.match(refused.body.message, /not a critical security fix/);

    const { requestId: critical } = await sut.submit(requester, { software: SOFTWARE, category: 'security', criticalSecurity: true }, 2);
    assert.equal((await sut.call(requester, 'POST', `/requests/${critical}/security-advisory`, {})).status, 403);
    assert.equal((await sut.call(operator, 'POST', `/requests/${critical}/security-advisory`, { audience: 'all' })).status, 400);
    assert.equal((await sut.call(operator, 'POST', '/requests/00000000-0000-4000-8000-000000000000/security-advisory', {})).status, 404);
    const rows: unknown[] = await sut.h.db.dataSource.query(`SELECT * FROM security_advisories WHERE request_id = ANY($1)`, [[requestId, critical]]);
    assert.deepEqual(rows, []);
    assert.equal((await sut.call(operator, 'GET', `/requests/${critical}/security-advisory`)).status, 404);
  });
});
