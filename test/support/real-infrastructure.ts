import { LibvirtSnapshotProvider } from '../../activities/libvirt/libvirt-snapshot-provider';
import { SshSessionProvider } from '../../activities/ssh/ssh-session-provider';
import { InventoryStore } from '../../platform/inventory/inventory-store';
import type { UpdateRequest } from '../../workflows/update-request.contract';
import { closedPort } from './api';
import { startTestHypervisor, type TestHypervisor } from './hypervisor';
import { seedCustomerWithSystems } from './inventory';
import { startTestSshServer, type TestSshServer } from './ssh-server';
import { TestSoftware } from './test-software';
import { UpdateHarness } from './update-harness';

/**
 * The real daemons behind SNAPSHOT_PROVIDER=libvirt and SESSION_PROVIDER=ssh: a libvirt daemon
 * holding a domain for app-01, an OpenSSH server standing in for the host, and the test software
 * installed on it. Start once per file; a harness per test.
 */
export class RealInfrastructure {
  private constructor(readonly hypervisor: TestHypervisor, readonly server: TestSshServer, readonly software: TestSoftware) {}

  static async start(): Promise<RealInfrastructure> {
    const hypervisor = await startTestHypervisor(['app-01']);
    const server = await startTestSshServer();
    const software = await TestSoftware.install();
    return new RealInfrastructure(hypervisor, server, software);
  }

  /** A harness whose worker has the real providers (a short back-off, so an unreachable host is found fast). */
  harness(): Promise<UpdateHarness> {
    return UpdateHarness.start({
      providersFor: (db) => {
        const inventory = new InventoryStore(db.dataSource);
        return {
          snapshotProvider: new LibvirtSnapshotProvider(inventory),
          sessionProvider: new SshSessionProvider(inventory, this.software.catalogue, {
            privateKeyFile: this.server.privateKeyFile, knownHostsFile: this.server.knownHostsFile,
            connectTimeoutMs: 5_000, commandTimeoutMs: 10_000, connectAttempts: 3, retryDelayMs: 100,
          }),
        };
      },
    });
  }

  /**
   * A request of the test software for app-01, which the customer's inventory lists with its domain
   * and SSH address: the test server's, a port nobody listens on, or none at all.
   */
  async newRequest(h: UpdateHarness, ssh: 'listening' | 'closed-port' | 'no-address' = 'listening'): Promise<UpdateRequest> {
    const port = ssh === 'closed-port' ? await closedPort() : this.server.port;
    const customerId = await seedCustomerWithSystems(h.db.dataSource, [{
      name: 'app-01',
      hypervisor: { uri: this.hypervisor.uri, domain: this.hypervisor.domainOf('app-01') },
      ...(ssh === 'no-address' ? {} : { ssh: { host: this.server.host, port, user: this.server.user, osFamily: 'linux' as const } }),
    }]);
    return h.request({
      customerId,
      software: { name: this.software.name, vendor: 'Test', currentVersion: '1.0', targetVersion: '2.0' },
      targets: [{ name: 'app-01', kind: 'application-server' }],
    });
  }

  async stop(): Promise<void> {
    await this.software?.remove();
    await this.server?.stop();
    await this.hypervisor?.stop();
  }
}
