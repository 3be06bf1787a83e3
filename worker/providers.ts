import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { LibvirtSnapshotProvider } from '../activities/libvirt/libvirt-snapshot-provider';
import { SimulatedSessionProvider, type SessionProvider } from '../activities/session-provider';
import { SimulatedSnapshotProvider, type SnapshotProvider } from '../activities/snapshot-provider';
import { CommandCatalogue } from '../activities/ssh/command-catalogue';
import { SshSessionProvider } from '../activities/ssh/ssh-session-provider';
import type { AppConfig } from '../platform/config';
import { InventoryStore } from '../platform/inventory/inventory-store';
import { projectRoot } from '../platform/project-root';

/** The providers the configuration names; undefined for `none` (operators act by hand). */
export function createProviders(config: AppConfig, dataSource: DataSource): { snapshotProvider?: SnapshotProvider; sessionProvider?: SessionProvider } {
  const inventory = new InventoryStore(dataSource);
  const snapshotProvider = {
    none: undefined,
    simulated: new SimulatedSnapshotProvider(),
    libvirt: new LibvirtSnapshotProvider(inventory),
  }[config.providers.snapshot];
  const sessionProvider = config.providers.session === 'ssh' ? sshSessionProvider(config, inventory)
    : config.providers.session === 'simulated' ? new SimulatedSessionProvider() : undefined;
  return { snapshotProvider, sessionProvider };
}

function sshSessionProvider({ ssh, hostCatalogueDir }: AppConfig, inventory: InventoryStore): SshSessionProvider {
  // Configuration validation made both files required for SESSION_PROVIDER=ssh.
  const privateKeyFile = ssh.privateKeyFile!;
  const knownHostsFile = ssh.knownHostsFile!;
  // Read once now so a missing or unreadable file stops the worker at start, naming the file.
  readFileSync(privateKeyFile);
  readFileSync(knownHostsFile);
  const passphrase = ssh.passphraseFile ? readFileSync(ssh.passphraseFile, 'utf8').trim() : undefined;
  const catalogue = new CommandCatalogue(path.resolve(projectRoot(), hostCatalogueDir));
  return new SshSessionProvider(inventory, catalogue, { ...ssh, privateKeyFile, knownHostsFile, passphrase });
}
