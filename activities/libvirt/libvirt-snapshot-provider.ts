import { ApplicationFailure } from '@temporalio/activity';
import type { InventoryStore } from '../../platform/inventory/inventory-store';
import type { SnapshotRef, SnapshotTarget } from '../../workflows/activity-contract';
import type { SnapshotRequest } from '../../workflows/host-checks.contract';
import type { SnapshotProvider } from '../snapshot-provider';
import { virsh, VirshError } from './virsh';

/** Where a target's VM lives: the libvirt connection and the domain's name there. */
interface DomainAddress {
  uri: string;
  domain: string;
}

/**
 * Snapshots through libvirt (SNAPSHOT_PROVIDER=libvirt): the inventory maps each target to a
 * domain on a hypervisor connection; snapshots are the hypervisor's own (internal qcow2
 * snapshots on KVM), named after the request and round, so a retried take finds the snapshot it
 * took before it crashed instead of taking a second. Only snapshots named for the request are ever
 * reverted or deleted: an id from elsewhere is refused, never acted on.
 */
export class LibvirtSnapshotProvider implements SnapshotProvider {
  constructor(private readonly inventory: InventoryStore) {}

  async take({ requestId, target, round }: SnapshotRequest): Promise<string> {
    const vm = await this.locate(requestId, target);
    const name = libvirtSnapshotName(requestId, round);
    if ((await this.names(vm)).includes(name)) return name;
    try {
      await onDomain(vm, 'snapshot-create-as', ['--name', name, '--atomic',
        '--description', `managed-updates request ${requestId}, round ${round ?? 1}, target ${target}`]);
    } catch (err) {
      // A take that raced with its own retry: the snapshot is there, which is all we want.
      if (!(err instanceof VirshError && err.snapshotExists)) throw err;
    }
    return name;
  }

  async restore(ref: SnapshotRef): Promise<void> {
    const vm = await this.locateIssued(ref);
    try {
      await onDomain(vm, 'snapshot-revert', ['--snapshotname', ref.snapshotId]);
    } catch (err) {
      if (err instanceof VirshError && err.snapshotNotFound) {
        throw ApplicationFailure.nonRetryable(`snapshot ${ref.snapshotId} of ${ref.target} (domain ${vm.domain}) is gone and cannot be restored`, 'SnapshotDeleted');
      }
      throw err;
    }
  }

  async delete(ref: SnapshotRef): Promise<void> {
    const vm = await this.locateIssued(ref);
    try {
      await onDomain(vm, 'snapshot-delete', ['--snapshotname', ref.snapshotId]);
    } catch (err) {
      if (!(err instanceof VirshError && err.snapshotNotFound)) throw err;
    }
  }

  /** The snapshot names the hypervisor holds for the target's domain, oldest first. */
  async list({ requestId, target }: SnapshotTarget): Promise<string[]> {
    return this.names(await this.locate(requestId, target));
  }

  private async names(vm: DomainAddress): Promise<string[]> {
    const out = await onDomain(vm, 'snapshot-list', ['--name', '--topological']);
    return out.split('\n').map((line) => line.trim()).filter(Boolean);
  }

  private async locateIssued(ref: SnapshotRef): Promise<DomainAddress> {
    if (!isSnapshotOfRequest(ref.snapshotId, ref.requestId)) {
      throw ApplicationFailure.nonRetryable(`snapshot ${ref.snapshotId} of ${ref.target} was not taken for request ${ref.requestId}`, 'UnknownSnapshot');
    }
    return this.locate(ref.requestId, ref.target);
  }

  private async locate(requestId: string, target: string): Promise<DomainAddress> {
    const system = await this.inventory.systemOfRequest(requestId, target);
    if (!system) throw ApplicationFailure.nonRetryable(`target ${target} of request ${requestId} is not in the inventory`, 'UnknownSystem');
    if (!system.hypervisor) throw ApplicationFailure.nonRetryable(`the inventory names no hypervisor domain for ${target}`, 'NoHypervisor');
    return system.hypervisor;
  }
}

/**
 * Runs a virsh command on the domain. A domain the hypervisor does not know is an inventory
 * mistake that no retry mends: it fails non-retryably, naming the domain and connection.
 */
async function onDomain({ uri, domain }: DomainAddress, command: string, args: string[]): Promise<string> {
  try {
    return await virsh(uri, [command, '--domain', domain, ...args]);
  } catch (err) {
    if (err instanceof VirshError && err.domainNotFound) {
      throw ApplicationFailure.nonRetryable(`the hypervisor ${uri} has no domain ${domain}: correct the inventory`, 'UnknownDomain');
    }
    throw err;
  }
}

/** The hypervisor's name of a request's snapshot in a round: `mu-<request id>-round-<n>`. */
export function libvirtSnapshotName(requestId: string, round: number | undefined): string {
  return `mu-${requestId}-round-${round ?? 1}`;
}

function isSnapshotOfRequest(name: string, requestId: string): boolean {
  const prefix = `mu-${requestId}-round-`;
  return name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length));
}
