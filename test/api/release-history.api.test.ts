import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, type Caller } from './api-harness';

describe("API: a customer's release history", () => {
  let sut: ApiHarness;
  let acme: Caller & { customerId: string };
  let globex: Caller & { customerId: string };
  let operator: Caller;
  let auditor: Caller;
  const signedOff: string[] = [];
  let cancelled: string;

  before(async () => {
    sut = await ApiHarness.start();
    acme = await sut.customer('acme');
    globex = await sut.customer('globex');
    operator = await sut.staff('operator', 'olga.operator');
    auditor = await sut.staff('auditor', 'ada.auditor');

    signedOff.push(...await sut.signedOff(acme, [
      { releaseNotes: { summary: 'Fixed: VAT rounding.' } },
      {
        software: { name: 'Contoso Ledger', vendor: 'Contoso', currentVersion: '4.1.0.0', targetVersion: '4.2.0.0' },
        category: 'maintenance', severity: 'high',
        releaseNotes: { summary: 'New: bank file export. Changes for users: the export menu moved.', link: 'https://contoso.example/ledger/4.2' },
      },
    ]));
    cancelled = (await sut.submit(acme)).requestId;
    assert.equal((await sut.call(acme, 'POST', `/requests/${cancelled}/cancellation`, { reason: 'not needed after all' })).status, 200);
  });
  after(async () => { await sut?.stop(); });

  it('lists every signed-off update newest first, with version, classification, date and release notes', async () => {
    const res = await sut.call(acme, 'GET', '/customers/acme/release-history');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.total, 2, 'the cancelled request changed nothing');
    assert.deepEqual(res.body.items.map((r: { requestId: string }) => r.requestId), [...signedOff].reverse());
    const [latest, earlier] = res.body.items;
    assert.deepEqual({ ...latest, signedOffAt: undefined, systems: undefined }, {
      requestId: signedOff[1], software: 'Contoso Ledger', vendor: 'Contoso', fromVersion: '4.1.0.0', version: '4.2.0.0',
      classification: 'minor-release', category: 'maintenance', severity: 'high', signedOffAt: undefined, systems: undefined,
      releaseNotes: 'New: bank file export. Changes for users: the export menu moved.', releaseNotesLink: 'https://contoso.example/ledger/4.2',
    });
    assert.equal(latest.systems.length, 1);
    assert.ok(Date.parse(latest.signedOffAt) > Date.parse(earlier.signedOffAt));
    assert.equal(earlier.releaseNotes, 'Fixed: VAT rounding.');
    assert.equal(earlier.releaseNotesLink, undefined);
    assert.ok(!res.body.items.some((r: { requestId: string }) => r.requestId === cancelled));

    const page = await sut.call(operator, 'GET', '/customers/acme/release-history?pageSize=1&page=2');
    assert.deepEqual(page.body.items.map((r: { requestId: string }) => r.requestId), [signedOff[0]]);
    assert.equal((await sut.call(auditor, 'GET', '/customers/acme/release-history')).body.total, 2);
  });

  it("keeps each customer to its own history: another customer's answers as unknown", async () => {
    const foreign = await sut.call(globex, 'GET', '/customers/acme/release-history');
    assert.equal(foreign.status, 404);
    assert.doesNotMatch(JSON.stringify(foreign.body), /Contoso/);
    const own = await sut.call(globex, 'GET', '/customers/globex/release-history');
    assert.deepEqual([own.status, own.body.total, own.body.items], [200, 0, []]);
    assert.equal((await sut.call(undefined, 'GET', '/customers/acme/release-history')).status, 401);
  });

  it('answers malformed input with 400 (or 404 for an id that names nothing), never 500', async () => {
    for (const query of ['pageSize=0', 'pageSize=abc', 'page=-1', 'pageSize=101', 'sort=name']) {
      const res = await sut.call(operator, 'GET', `/customers/acme/release-history?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    assert.equal((await sut.call(operator, 'GET', '/customers/%20/release-history')).status, 400);
    assert.equal((await sut.call(operator, 'GET', '/customers/ac%00me/release-history')).status, 404);
    assert.equal((await sut.call(operator, 'GET', `/customers/${'x'.repeat(300)}/release-history`)).status, 404);
  });
});
