import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../../platform/project-root';
import { ApiHarness, type Caller } from './api-harness';

describe('API and CLI: the system inventory', () => {
  let sut: ApiHarness;
  let operator: Caller;
  let customer: Caller;

  before(async () => {
    sut = await ApiHarness.start();
    customer = await sut.customer('acme');
    operator = await sut.staff('operator', 'olga');
  });
  after(async () => { await sut?.stop(); });

  const count = async () => Number((await sut.h.db.dataSource.query(`SELECT count(*) AS n FROM inventory_systems`))[0].n);

  it('lets operators add, change, list and remove systems', async () => {
    const put = await sut.call(operator, 'PUT', '/inventory/acme/erp-app-01', {
      hypervisor: { uri: 'qemu+ssh://virt@kvm-01.example/system', domain: 'acme-erp-app-01' },
      ssh: { host: 'erp-app-01.acme.example', user: 'mu-check', osFamily: 'windows' },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body, {
      customerId: 'acme', name: 'erp-app-01',
      hypervisor: { uri: 'qemu+ssh://virt@kvm-01.example/system', domain: 'acme-erp-app-01' },
      ssh: { host: 'erp-app-01.acme.example', port: 22, user: 'mu-check', osFamily: 'windows' },
    });
    const changed = await sut.call(operator, 'PUT', '/inventory/acme/erp-app-01', { ssh: { host: '10.0.0.5', port: 2222, user: 'mu-check' } });
    assert.deepEqual(changed.body, { customerId: 'acme', name: 'erp-app-01', ssh: { host: '10.0.0.5', port: 2222, user: 'mu-check', osFamily: 'linux' } });
    const listed = await sut.call(operator, 'GET', '/inventory?customerId=acme');
    assert.deepEqual(listed.body.map((s: { name: string }) => s.name), ['erp-app-01']);
    const removed = await sut.call(operator, 'DELETE', '/inventory/acme/erp-app-01');
    assert.deepEqual([removed.status, removed.body.ssh.host], [200, '10.0.0.5']);
    const again = await sut.call(operator, 'DELETE', '/inventory/acme/erp-app-01');
    assert.deepEqual([again.status, again.body.message], [404, 'system erp-app-01 of customer acme not found']);
  });

  it('refuses bad systems with 400 and unknown customers with 404, writing nothing', async () => {
    const before = await count();
    const bad = await sut.call(operator, 'PUT', '/inventory/acme/app-02', { ssh: { host: 'h', user: 'u', port: 0, osFamily: 'beos' }, hypervisor: { uri: 'kvm-01' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.message, [
      'hypervisor.uri must be a libvirt connection URI such as qemu:///system',
      'hypervisor.domain must be a string',
      'ssh.port must not be less than 1',
      'ssh.osFamily must be one of the following values: linux, windows',
    ]);
    const badName = await sut.call(operator, 'PUT', '/inventory/acme/-x', {});
    assert.equal(badName.status, 400);
    const stranger = await sut.call(operator, 'PUT', '/inventory/nobody-ag/app-02', {});
    assert.deepEqual([stranger.status, stranger.body.message], [404, 'customer nobody-ag not found']);
    assert.equal(await count(), before);
  });

  it('refuses a request naming targets the inventory does not list, with 422 naming them, writing nothing', async () => {
    const body = await sut.submission();
    const known = body.targets[0];
    const res = await sut.call(customer, 'POST', '/requests', {
      ...body, targets: [known, { name: 'ghost-01', kind: 'application-server' }, { name: 'ghost-02', kind: 'client-host' }],
    }, { 'idempotency-key': 'ghosts' });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.message, 'not in the inventory of customer acme: ghost-01, ghost-02; an operator adds systems under /inventory');
    assert.deepEqual(res.body.details, { unknownTargets: ['ghost-01', 'ghost-02'] });
    assert.deepEqual(await sut.h.db.dataSource.query(`SELECT request_id FROM update_requests`), []);
    assert.deepEqual(await sut.h.db.dataSource.query(`SELECT key FROM idempotency_keys`), []);

    const accepted = await sut.call(customer, 'POST', '/requests', body);
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  });

  it('is managed from the command line too, with the same rules', async () => {
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [path.join(projectRoot(), 'dist/scripts/inventory.js'), ...args], {
      env: { ...process.env, DATABASE_URL: sut.h.db.url, DATABASE_SCHEMA: sut.h.db.schema },
    });
    const put = await cli('put', '--customer', 'acme', '--name', 'erp-db-01', '--hypervisor-uri', 'qemu:///system', '--domain', 'erp-db-01',
      '--ssh-host', 'erp-db-01.acme.example', '--ssh-user', 'mu-check', '--ssh-port', '2200');
    assert.equal(put.stdout, 'acme erp-db-01 hypervisor qemu:///system domain erp-db-01 ssh mu-check@erp-db-01.acme.example:2200 (linux)\n');
    const listed = await cli('list', '--customer', 'acme');
    assert.match(listed.stdout, /^acme erp-db-01 /m);
    const refused = await cli('put', '--customer', 'acme', '--name', 'erp-db-02', '--ssh-host', 'h', '--ssh-user', 'u', '--os', 'beos').then(
      () => assert.fail('accepted an unknown OS family'), (err: { code: number; stderr: string }) => err);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /ssh\.osFamily: osFamily must be one of the following values: linux, windows/);
    await cli('remove', '--customer', 'acme', '--name', 'erp-db-01');
    assert.doesNotMatch((await cli('list')).stdout, /erp-db-01/);
  });
});
