import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { projectRoot } from '../../platform/project-root';
import { ApiHarness, type Caller, type SubmissionBody } from './api-harness';

const DAY_MS = 86_400_000;
/** YYYY-MM-DD `days` from today (UTC), `months` earlier. */
function dateOffset(days: number, months = 0): string {
  const date = new Date(Date.now() + days * DAY_MS);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString().slice(0, 10);
}

describe('API and CLI: installed software, version rules and support windows', () => {
  let sut: ApiHarness;
  let operator: Caller;
  let customer: Caller;

  before(async () => {
    sut = await ApiHarness.start();
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga');
    const inventory = new InventoryStore(sut.h.db.dataSource);
    for (const name of ['erp-app-01', 'erp-db-01', 'ws-01', 'ws-02']) await inventory.put({ customerId: 'acme', name });
  });
  after(async () => { await sut?.stop(); });

  const rows = async () => (await sut.h.db.dataSource.query(`SELECT count(*)::int AS n FROM update_requests`))[0].n;
  const install = (system: string, body: Record<string, unknown>) =>
    sut.call(operator, 'PUT', `/installed-software/acme/${system}/${encodeURIComponent('Abacus ERP')}`, body);
  /** A submission for acme's erp-app-01 and whatever `targets` adds, without the harness seeding installed software. */
  async function submissionFor(software: Partial<SubmissionBody['software']>, extra: Partial<SubmissionBody> = {}): Promise<SubmissionBody> {
    const body = await sut.submission({ firstInstallation: true });
    delete body.firstInstallation;
    return { ...body, software: { ...body.software, ...software }, targets: [{ name: 'erp-app-01', kind: 'application-server' }], ...extra };
  }
  async function refused(body: SubmissionBody, status: number): Promise<{ message: string; details?: Record<string, unknown> }> {
    const before = await rows();
    const res = await sut.call(customer, 'POST', '/requests', body);
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(await rows(), before);
    return res.body;
  }

  it('lets operators record, correct, list and remove what is installed; refuses unknown systems and bad versions', async () => {
    const put = await install('erp-app-01', { vendor: 'Abacus', version: '2023.4' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual({ ...put.body, updatedAt: undefined }, {
      customerId: 'acme', system: 'erp-app-01', software: 'Abacus ERP', vendor: 'Abacus', version: '2023.4', component: 'server',
      updatedBy: 'olga', updatedAt: undefined,
    });
    const corrected = await install('erp-app-01', { vendor: 'Abacus', version: '2024.1' });
    assert.equal(corrected.body.version, '2024.1');
    const listed = await sut.call(operator, 'GET', '/installed-software?customerId=acme');
    assert.deepEqual(listed.body.map((e: { system: string; version: string }) => `${e.system} ${e.version}`), ['erp-app-01 2024.1']);

    assert.deepEqual((await install('ghost-01', { vendor: 'Abacus', version: '1.0' })).body.message,
      'system ghost-01 of customer acme not found; an operator adds it under /inventory first');
    const bad = await install('erp-db-01', { vendor: 'Abacus', version: '2024.x', component: 'desktop', extra: 1 });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.message, ['property extra should not exist', 'component must be one of the following values: server, client']);
    const badVersion = await install('erp-db-01', { vendor: 'Abacus', version: '2024.x' });
    assert.deepEqual([badVersion.status, badVersion.body.message], [400, ["version must follow Abacus's version scheme {Major}.{Minor}.{ServicePack}.{Revision}"]]);
    await install('erp-db-01', { vendor: 'Abacus', version: '2024.1' });
    const removed = await sut.call(operator, 'DELETE', `/installed-software/acme/erp-db-01/${encodeURIComponent('Abacus ERP')}`);
    assert.deepEqual([removed.status, removed.body.system], [200, 'erp-db-01']);
    const again = await sut.call(operator, 'DELETE', `/installed-software/acme/erp-db-01/${encodeURIComponent('Abacus ERP')}`);
    assert.deepEqual([again.status, again.body.message], [404, 'Abacus ERP is not recorded on system erp-db-01 of customer acme']);
    assert.equal((await sut.call(customer, 'GET', '/installed-software')).status, 403);
  });

  it('refuses a request whose currentVersion is not what is installed, naming the target and its version', async () => {
    await install('erp-app-01', { vendor: 'Abacus', version: '2024.1' });
    const body = await refused(await submissionFor({ currentVersion: '2023.4', targetVersion: '2025.2' }), 422);
    assert.equal(body.message, 'currentVersion 2023.4 is not what is installed: erp-app-01 has Abacus ERP 2024.1');
    assert.deepEqual(body.details, { installed: [{ target: 'erp-app-01', version: '2024.1' }] });

    const unrecorded = await refused(await submissionFor({ currentVersion: '2024.1' }, { targets: [{ name: 'erp-app-01', kind: 'application-server' }, { name: 'erp-db-01', kind: 'application-server' }] }), 422);
    assert.equal(unrecorded.message, 'Abacus ERP is not recorded as installed on erp-db-01: declare firstInstallation if it is new there, '
      + 'or ask an operator to record what is installed (/installed-software)');

    const already = await refused(await submissionFor({ currentVersion: '0' }, { firstInstallation: true }), 422);
    assert.equal(already.message, 'a first installation, but Abacus ERP is installed already: 2024.1 on erp-app-01');
  });

  it('classifies what the update is, stores it on the request and answers it', async () => {
    await install('erp-app-01', { vendor: 'Abacus', version: '2024.1' });
    const cases: Array<[string, string, string]> = [
      ['2024.1', '2025.0', 'major-release'], ['2024.1.0.0', '2024.2', 'minor-release'], ['2024.1', '2024.1.3', 'service-pack'], ['2024.1', '2024.1.0.7', 'revision'],
    ];
    for (const [currentVersion, targetVersion, classification] of cases) {
      const res = await sut.call(customer, 'POST', '/requests', await submissionFor({ currentVersion, targetVersion }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.software.classification, classification, `${currentVersion} -> ${targetVersion}`);
      const detail = await sut.call(customer, 'GET', `/requests/${res.body.requestId}`);
      assert.equal(detail.body.request.classification, classification);
    }
    const first = await sut.call(customer, 'POST', '/requests', await submissionFor({ currentVersion: 'none' }, { firstInstallation: true, targets: [{ name: 'ws-01', kind: 'client-host' }] }));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.software.classification, 'first-installation');
    const forged = await refused({ ...(await submissionFor({ currentVersion: '2024.1' })), classification: 'revision' } as SubmissionBody, 400);
    assert.deepEqual(forged.message, ['property classification should not exist']);
  });

  it('refuses a lower target unless a downgrade is declared with a reason (then an operator approves it), and the same version always', async () => {
    await install('erp-app-01', { vendor: 'Abacus', version: '2024.1' });
    const lower = await refused(await submissionFor({ currentVersion: '2024.1', targetVersion: '2023.4' }), 422);
    assert.equal(lower.message, 'targetVersion 2023.4 is lower than the current version 2024.1: a downgrade must be declared with downgrade.reason');
    const same = await refused(await submissionFor({ currentVersion: '2024.1', targetVersion: '2024.1.0.0' }), 422);
    assert.equal(same.message, 'targetVersion 2024.1.0.0 is the current version: there is nothing to update');
    const noReason = await refused(await submissionFor({ currentVersion: '2024.1', targetVersion: '2023.4' }, { downgrade: { reason: '' } }), 400);
    assert.deepEqual(noReason.message, ['downgrade.reason must be longer than or equal to 1 characters']);
    const wrongWay = await refused(await submissionFor({ currentVersion: '2024.1', targetVersion: '2025.0' }, { downgrade: { reason: 'r' } }), 422);
    assert.equal(wrongWay.message, 'a downgrade is declared, but targetVersion 2025.0 is higher than the current version 2024.1');
    const declared = await sut.call(customer, 'POST', '/requests', await submissionFor({ currentVersion: '2024.1', targetVersion: '2023.4' }, { downgrade: { reason: '2024.1 breaks the payroll export' } }));
    assert.equal(declared.status, 201, JSON.stringify(declared.body));
    assert.equal(declared.body.software.classification, 'major-release');
    // An operator approves the downgrade before it is scheduled.
    const id = declared.body.requestId;
    await sut.untilStatus(operator, id, 'downgrade-review');
    const early = await sut.call(customer, 'POST', `/requests/${id}/downgrade-decision`, { decision: 'approve', reason: 'we want it' });
    assert.equal(early.status, 403);
    const approved = await sut.call(operator, 'POST', `/requests/${id}/downgrade-decision`, { decision: 'approve', reason: 'vendor confirms 2023.4 reads the data' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'scheduling');
    // Every message names the kind of update (the facts every message ends with).
    const received = await sut.h.mailbox.waitForMatch((m) => m.subject === 'Update request received: Abacus ERP 2023.4');
    assert.match(received.text ?? '', /^Kind of update: major release, a downgrade \(2024\.1 breaks the payroll export\)$/m);
    assert.match(String(received.html), /<th align="left">Kind of update<\/th><td>major release, a downgrade \(2024\.1 breaks the payroll export\)<\/td>/);
  });

  it("reads versions by the vendor's own scheme, and refuses a scheme that cannot be read", async () => {
    const badScheme = await sut.call(operator, 'PUT', '/vendors/Novacura', { versionScheme: '{Major}{Minor}' });
    assert.deepEqual([badScheme.status, badScheme.body.message], [400, ['versionScheme: two parts need a separator between them']]);
    const unknownPart = await sut.call(operator, 'PUT', '/vendors/Novacura', { versionScheme: '{Major}.{Build}' });
    assert.deepEqual(unknownPart.body.message, ['versionScheme: unknown part {Build}; the parts are {Major}, {Minor}, {ServicePack}, {Revision}']);
    const put = await sut.call(operator, 'PUT', '/vendors/Novacura', { versionScheme: '{Major}.{Minor}-r{Revision}' });
    assert.deepEqual([put.status, put.body], [200, { vendor: 'Novacura', versionScheme: '{Major}.{Minor}-r{Revision}' }]);
    assert.deepEqual((await sut.call(operator, 'GET', '/vendors')).body, [{ vendor: 'Novacura', versionScheme: '{Major}.{Minor}-r{Revision}' }]);

    const flow = { name: 'Novacura Flow', vendor: 'Novacura' };
    assert.equal((await sut.call(operator, 'PUT', '/installed-software/acme/erp-db-01/Novacura%20Flow', { vendor: 'Novacura', version: '6.1.7.26406' })).status, 400);
    assert.equal((await sut.call(operator, 'PUT', '/installed-software/acme/erp-db-01/Novacura%20Flow', { vendor: 'Novacura', version: '6.1-r26406' })).status, 200);
    const offScheme = await refused({ ...(await submissionFor({ ...flow, currentVersion: '6.1-r26406', targetVersion: '6.1.8' })), targets: [{ name: 'erp-db-01', kind: 'application-server' }] }, 422);
    assert.equal(offScheme.message, "software.targetVersion 6.1.8 does not follow Novacura's version scheme {Major}.{Minor}-r{Revision}");
    const revision = await sut.call(customer, 'POST', '/requests',
      { ...(await submissionFor({ ...flow, currentVersion: '6.1-r26406', targetVersion: '6.1-r26500' })), targets: [{ name: 'erp-db-01', kind: 'application-server' }] });
    assert.deepEqual([revision.status, revision.body.software?.classification], [201, 'revision'], JSON.stringify(revision.body));
  });

  it('refuses a target release out of support, and flags installed releases leaving support within 60 days', async () => {
    const release = (version: string, body: unknown) => sut.call(operator, 'PUT', `/vendors/Abacus/releases/${encodeURIComponent('Abacus ERP')}/${version}`, body);
    const old = await release('2022.1', { releasedOn: '2022-01-10' });
    assert.deepEqual([old.status, old.body], [200, {
      vendor: 'Abacus', software: 'Abacus ERP', version: '2022.1', releasedOn: '2022-01-10', supportedMonths: 24, supportEndsOn: '2024-01-10',
    }]);
    const badRelease = await release('2022.2', { releasedOn: '2022-02-30', supportedMonths: 0 });
    assert.deepEqual([badRelease.status, badRelease.body.message], [400, ['releasedOn must be a date (YYYY-MM-DD)', 'supportedMonths must not be less than 1']]);
    await install('erp-app-01', { vendor: 'Abacus', version: '2021.4' });
    const unsupported = await refused(await submissionFor({ currentVersion: '2021.4', targetVersion: '2022.1' }), 422);
    assert.equal(unsupported.message, 'Abacus ERP 2022.1 is out of support since 2024-01-10 (released 2022-01-10, supported 24 months by Abacus): choose a supported version');

    // 2024.1 leaves support in 30 days; 2025.2 was released a month ago.
    await release('2024.1', { releasedOn: dateOffset(30, 24) });
    await release('2025.2', { releasedOn: dateOffset(-30), supportedMonths: 36 });
    await install('erp-app-01', { vendor: 'Abacus', version: '2024.1' });
    await install('erp-db-01', { vendor: 'Abacus', version: '2025.2' });
    await install('ws-01', { vendor: 'Abacus', version: '2023.1' });
    const listed = (await sut.call(operator, 'GET', '/installed-software?customerId=acme')).body
      .filter((e: { software: string }) => e.software === 'Abacus ERP')
      .map((e: { system: string; support?: { status: string; endsOn: string } }) => [e.system, e.support?.status, e.support?.endsOn]);
    assert.deepEqual(listed, [['erp-app-01', 'ending', dateOffset(30)], ['erp-db-01', 'supported', dateOffset(-30, -36)], ['ws-01', undefined, undefined]]);
    // Once the daily check has warned the customer, the listing says when.
    await sut.h.db.dataSource.query(`INSERT INTO support_warnings (customer_id, system_name, software_name, version, support_ends_on, message_id, warned_at)
      VALUES ('acme', 'erp-app-01', 'Abacus ERP', '2024.1', $1, 'support-ending/acme/x', '2026-11-20T06:00:00Z')`, [dateOffset(30)]);
    const warned = (await sut.call(operator, 'GET', '/installed-software?customerId=acme')).body
      .filter((e: { software: string }) => e.software === 'Abacus ERP')
      .map((e: { system: string; support?: { warnedAt?: string } }) => [e.system, e.support?.warnedAt]);
    assert.deepEqual(warned, [['erp-app-01', '2026-11-20T06:00:00.000Z'], ['erp-db-01', undefined], ['ws-01', undefined]]);
    const releases = await sut.call(operator, 'GET', '/vendors/Abacus/releases');
    assert.deepEqual(releases.body.map((r: { version: string }) => r.version), ['2022.1', '2024.1', '2025.2']);
    await sut.call(operator, 'DELETE', `/installed-software/acme/erp-db-01/${encodeURIComponent('Abacus ERP')}`);
    await sut.call(operator, 'DELETE', `/installed-software/acme/ws-01/${encodeURIComponent('Abacus ERP')}`);
  });

  it("refuses a major or minor release of a server that leaves the software's client hosts behind, naming them", async () => {
    await install('erp-app-01', { vendor: 'Abacus', version: '2024.1' });
    await install('ws-01', { vendor: 'Abacus', version: '2024.1', component: 'client' });
    await install('ws-02', { vendor: 'Abacus', version: '2024.1', component: 'client' });
    const alone = await refused(await submissionFor({ currentVersion: '2024.1', targetVersion: '2024.2' }), 422);
    assert.equal(alone.message, 'a minor release of Abacus ERP on its server needs its clients updated in the same request: '
      + 'add the client hosts ws-01, ws-02 (kind client-host, with clientUpdateIncluded)');
    assert.deepEqual(alone.details, { clientHosts: ['ws-01', 'ws-02'] });
    const clientsNotIncluded = await refused(await submissionFor({ currentVersion: '2024.1', targetVersion: '2025.0' }, {
      clientUpdateIncluded: false,
      targets: [{ name: 'erp-app-01', kind: 'application-server' }, { name: 'ws-01', kind: 'client-host' }, { name: 'ws-02', kind: 'client-host' }],
    }), 422);
    assert.deepEqual(clientsNotIncluded.details, { clientHosts: ['ws-01', 'ws-02'] });
    const servicePack = await sut.call(customer, 'POST', '/requests', await submissionFor({ currentVersion: '2024.1', targetVersion: '2024.1.1' }));
    assert.equal(servicePack.status, 201, JSON.stringify(servicePack.body));
    const together = await sut.call(customer, 'POST', '/requests', await submissionFor({ currentVersion: '2024.1', targetVersion: '2024.2' }, {
      clientUpdateIncluded: true,
      targets: [{ name: 'erp-app-01', kind: 'application-server' }, { name: 'ws-01', kind: 'client-host' }, { name: 'ws-02', kind: 'client-host' }],
    }));
    assert.equal(together.status, 201, JSON.stringify(together.body));
    for (const ws of ['ws-01', 'ws-02']) await sut.call(operator, 'DELETE', `/installed-software/acme/${ws}/${encodeURIComponent('Abacus ERP')}`);
  });

  it('is managed from the command line too, with the same rules', async () => {
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [path.join(projectRoot(), 'dist/scripts/installed-software.js'), ...args], {
      env: { ...process.env, DATABASE_URL: sut.h.db.url, DATABASE_SCHEMA: sut.h.db.schema, USER: 'olga' },
    });
    const put = await cli('put', '--customer', 'acme', '--system', 'ws-02', '--software', 'Ledger', '--vendor', 'Contoso', '--version', '4.1.2', '--component', 'client');
    assert.equal(put.stdout, 'acme ws-02 Ledger 4.1.2 (Contoso, client)\n');
    assert.match((await cli('list', '--customer', 'acme')).stdout, /^acme ws-02 Ledger 4\.1\.2 \(Contoso, client\)$/m);
    const refusedCli = await cli('put', '--customer', 'acme', '--system', 'ws-02', '--software', 'Ledger', '--vendor', 'Contoso', '--version', 'four').then(
      () => assert.fail('accepted a version outside the scheme'), (err: { code: number; stderr: string }) => err);
    assert.equal(refusedCli.code, 2);
    assert.match(refusedCli.stderr, /--version must follow Contoso's version scheme \{Major\}\.\{Minor\}\.\{ServicePack\}\.\{Revision\}/);
    const unknown = await cli('put', '--customer', 'acme', '--system', 'nowhere', '--software', 'Ledger', '--vendor', 'Contoso', '--version', '4.1').then(
      () => assert.fail('accepted a system outside the inventory'), (err: { code: number; stderr: string }) => err);
    assert.deepEqual([unknown.code, unknown.stderr], [1, 'installed-software failed: customer acme has no system nowhere: add it first (npm run inventory -- put)\n']);
    await cli('remove', '--customer', 'acme', '--system', 'ws-02', '--software', 'Ledger');
    assert.doesNotMatch((await cli('list')).stdout, /Ledger/);
  });
});
