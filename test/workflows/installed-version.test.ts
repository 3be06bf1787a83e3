import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CredentialStore } from '../../api/auth/credential-store';
import { InstalledSoftwareStore } from '../../platform/inventory/installed-software-store';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import { rejectUpdateUpdate, resolveRejectionUpdate, signOffUpdate, type UpdateRequest } from '../../workflows/update-request.contract';
import { customerOf, operator, UpdateHarness } from '../support/update-harness';
import { completeAllHosts, submitAndReachSlot } from './request-driver';

describe('managed update: the installed version follows a signed-off update', () => {
  let h: UpdateHarness;
  let installed: InstalledSoftwareStore;
  beforeEach(async () => {
    h = await UpdateHarness.start();
    installed = new InstalledSoftwareStore(h.db.dataSource);
  });
  afterEach(async () => { await h?.stop(); });

  /** A server and a client host, both listed with the software at the request's current version. */
  async function seeded(): Promise<UpdateRequest> {
    const suffix = String(Date.now());
    const request = await h.request({
      clientUpdateIncluded: true,
      targets: [{ name: `app-${suffix}`, kind: 'application-server' }, { name: `ws-${suffix}`, kind: 'client-host' }],
    });
    await new CredentialStore(h.db.dataSource).createCustomer({ id: request.customerId, name: 'Acme AG' });
    for (const { name, kind } of request.targets) {
      await new InventoryStore(h.db.dataSource).put({ customerId: request.customerId, name });
      await installed.put({ customerId: request.customerId, system: name, software: request.software.name, vendor: request.software.vendor,
        version: request.software.currentVersion, component: kind === 'client-host' ? 'client' : 'server', updatedBy: 'olga' });
    }
    return request;
  }
  const versions = async (request: UpdateRequest) =>
    (await installed.list(request.customerId)).map((e) => [e.system, e.version, e.component, e.updatedBy]);

  it('moves every target to the target version when the customer signs off', async () => {
    const request = await seeded();
    const { handle } = await submitAndReachSlot(h, request);
    await completeAllHosts(h, handle, 2);
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    assert.equal((await handle.result()).outcome, 'signed-off');
    const [server, client] = request.targets.map((t) => t.name);
    assert.deepEqual(await versions(request), [
      [server, '2025.2', 'server', `request ${request.requestId}`], [client, '2025.2', 'client', `request ${request.requestId}`],
    ]);
    const recorded = (await h.state(handle)).timeline.find((e) => e.action === 'installed-version-recorded');
    assert.deepEqual(recorded?.evidence, { version: '2025.2', systems: [server, client].sort() });
  });

  it('leaves the installed version as it was when the update is rolled back', async () => {
    const request = await seeded();
    const before = await versions(request);
    const { handle } = await submitAndReachSlot(h, request);
    await completeAllHosts(h, handle, 2);
    await handle.executeUpdate(rejectUpdateUpdate, { args: [{ actor: customerOf(request.customerId), description: 'payroll export fails' }] });
    await h.until(handle, (s) => s.pendingActions.some((a) => a.update === 'resolveRejection'), 'the operator to decide');
    await handle.executeUpdate(resolveRejectionUpdate, { args: [{ actor: operator, decision: 'rollback', reason: 'vendor fix pending' }] });
    assert.equal((await handle.result()).outcome, 'rolled-back');
    assert.deepEqual(await versions(request), before);
    assert.equal((await h.state(handle)).timeline.some((e) => e.action === 'installed-version-recorded'), false);
  });
});
