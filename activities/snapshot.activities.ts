import { ApplicationFailure } from '@temporalio/activity';
import type { SnapshotRef } from '../workflows/activity-contract';
import type { SnapshotRequest } from '../workflows/host-checks.contract';
import type { SnapshotProvider } from './snapshot-provider';

export interface SnapshotDependencies {
  /** Absent when SNAPSHOT_PROVIDER=none: the policy then tells the workflow operators act by hand. */
  snapshotProvider?: SnapshotProvider;
}

export function createSnapshotActivities({ snapshotProvider }: SnapshotDependencies) {
  function provider(): SnapshotProvider {
    if (!snapshotProvider) throw ApplicationFailure.nonRetryable('no snapshot provider configured', 'NoSnapshotProvider');
    return snapshotProvider;
  }
  return {
    async takeSnapshot(input: SnapshotRequest): Promise<{ snapshotId: string }> {
      return { snapshotId: await provider().take(input) };
    },
    async restoreSnapshot(input: SnapshotRef): Promise<void> {
      await provider().restore(input);
    },
    async deleteSnapshot(input: SnapshotRef): Promise<void> {
      await provider().delete(input);
    },
  };
}
