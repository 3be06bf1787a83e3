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

export interface Providers {
  /** Undefined for `none`: operators act by hand. */
  snapshotProvider?: SnapshotProvider;
  sessionProvider?: SessionProvider;
}

/** The providers the configuration names, the real ones finding their systems in the inventory. */
export function createProviders(config: AppConfig, dataSource: DataSource): Providers {
  const inventory = new InventoryStore(dataSource);
  return { snapshotProvider: snapshotProvider(config, inventory), sessionProvider: sessionProvider(config, inventory) };
}

function snapshotProvider(config: AppConfig, inventory: InventoryStore): SnapshotProvider | undefined {
  switch (config.providers.snapshot) {
    case 'libvirt': return new LibvirtSnapshotProvider(inventory);
    case 'simulated': return new SimulatedSnapshotProvider();
    case 'none': return undefined;
  }
}

function sessionProvider(config: AppConfig, inventory: InventoryStore): SessionProvider | undefined {
  switch (config.providers.session) {
    case 'ssh': return sshSessionProvider(config, inventory);
    case 'simulated': return new SimulatedSessionProvider();
    case 'none': return undefined;
  }
}

function sshSessionProvider({ ssh, hostCatalogueDir }: AppConfig, inventory: InventoryStore): SshSessionProvider {
  // Configuration validation made both files required for SESSION_PROVIDER=ssh.
  const privateKeyFile = ssh.privateKeyFile!;
  const knownHostsFile = ssh.knownHostsFile!;
  // Read once now, so a missing or unreadable file stops the worker at start, naming the file.
  readFileSync(privateKeyFile);
  readFileSync(knownHostsFile);
  const passphrase = ssh.passphraseFile ? readFileSync(ssh.passphraseFile, 'utf8').trim() : undefined;
  const catalogue = new CommandCatalogue(path.resolve(projectRoot(), hostCatalogueDir));
  return new SshSessionProvider(inventory, catalogue, { ...ssh, privateKeyFile, knownHostsFile, passphrase });
}
