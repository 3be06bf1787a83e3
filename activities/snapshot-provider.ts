import { ApplicationFailure } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import type { SnapshotRef, SnapshotTarget } from '../workflows/activity-contract';
import type { SnapshotRequest } from '../workflows/host-checks.contract';

/** The hypervisor's snapshot API, as the snapshot activities need it. */
export interface SnapshotProvider {
  /** Takes a snapshot of the VM, or returns the one already taken for this request and target. */
  take(request: SnapshotRequest): Promise<string>;
  restore(ref: SnapshotRef): Promise<void>;
  /** Deleting a snapshot that is already gone succeeds. */
  delete(ref: SnapshotRef): Promise<void>;
}

/**
 * A stand-in hypervisor (SNAPSHOT_PROVIDER=simulated, and tests). A snapshot's id is derived from
 * its request and target, so it exists for as long as nobody deleted it, even across a worker
 * restart; an id this provider did not issue for that request and target is unknown. Deletions
 * are remembered in memory only.
 */
export class SimulatedSnapshotProvider implements SnapshotProvider {
  private readonly deleted = new Set<string>();

  async take({ requestId, target }: SnapshotTarget): Promise<string> {
    return simulatedSnapshotId(requestId, target);
  }

  async restore(ref: SnapshotRef): Promise<void> {
    this.requireIssued(ref);
    if (this.deleted.has(ref.snapshotId)) {
      throw ApplicationFailure.nonRetryable(`snapshot ${ref.snapshotId} of ${ref.target} was deleted and cannot be restored`, 'SnapshotDeleted');
    }
  }

  async delete(ref: SnapshotRef): Promise<void> {
    this.requireIssued(ref);
    this.deleted.add(ref.snapshotId);
  }

  private requireIssued({ requestId, target, snapshotId }: SnapshotRef): void {
    if (snapshotId !== simulatedSnapshotId(requestId, target)) {
      throw ApplicationFailure.nonRetryable(`unknown snapshot ${snapshotId} of ${target} for request ${requestId}`, 'UnknownSnapshot');
    }
  }
}

function simulatedSnapshotId(requestId: string, target: string): string {
  return `sim-${createHash('sha256').update(`${requestId}\n${target}`).digest('hex').slice(0, 20)}`;
}
