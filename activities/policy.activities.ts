import type { PolicyConfig } from '../platform/config';
import type { UpdatePolicy } from '../workflows/update-request.contract';
import type { SessionDependencies } from './session.activities';
import type { SnapshotDependencies } from './snapshot.activities';

export interface PolicyDependencies extends SnapshotDependencies, SessionDependencies {
  policy: PolicyConfig;
}

export function createPolicyActivities({ policy, snapshotProvider, sessionProvider }: PolicyDependencies) {
  return {
    /** The rules a new request runs under; recorded in its history, so replays see the same values. */
    async loadPolicy(): Promise<UpdatePolicy> {
      return {
        ...policy, snapshotProvider: snapshotProvider !== undefined, sessionProvider: sessionProvider !== undefined,
        hostChecks: sessionProvider?.checksHosts === true,
      };
    },
  };
}
