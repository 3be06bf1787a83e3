import { PRE_CHECKS, type PendingAction, type UpdateRequestState } from './update-request.contract';

/**
 * What the request waits for and who may do it, derived from the state (never stored apart from
 * it), so the API's "waiting for me" lists and the workflow cannot disagree.
 */
export function pendingActions(state: UpdateRequestState, now: Date): PendingAction[] {
  const manual = (provider: boolean | undefined) => provider === false;
  switch (state.status) {
    case 'lead-time-review':
      return [{
        update: 'decideShortNotice',
        roles: ['operator'],
        deadline: state.leadTime?.decideBy,
        description: state.request.criticalSecurity
          ? 'accept, decline or expedite the short-notice critical security request'
          : 'accept (not guaranteed) or decline the short-notice request',
      }];
    case 'scheduling':
      return state.slot?.status === 'proposed'
        ? [
            { update: 'acceptSlot', roles: ['customer'], description: state.slot.withinSupportHours
              ? 'accept the proposed slot or ask for another'
              : 'accept the off-hours slot with written confirmation (surcharged), or ask for another' },
            { update: 'requestAnotherSlot', roles: ['customer'], description: 'ask for another slot' },
          ]
        : [{ update: 'proposeSlot', roles: ['operator'], description: 'propose a slot (start, duration, engineer)' }];
    case 'pre-checks':
      return PRE_CHECKS.filter((check) => !state.preChecks[check]).map((check) => ({
        update: 'recordPreCheck',
        roles: ['operator'],
        deadline: state.slot?.start,
        description: `record the ${check} pre-check`,
      }));
    case 'snapshots':
      return manual(state.policy?.snapshotProvider)
        ? [{ update: 'recordSnapshots', roles: ['operator'], description: 'take the snapshots and record their ids' }]
        : [];
    case 'user-activity': {
      const ua = state.userActivity;
      const actions: PendingAction[] = [];
      if (manual(state.policy?.sessionProvider)) {
        actions.push({ update: 'reportUserActivity', roles: ['operator'], description: 'check the targets for active users and report' });
      }
      if (ua && (ua.activeUsers ?? 0) > 0 && Date.parse(ua.overrideAllowedAt) <= now.getTime()) {
        actions.push({ update: 'resolveUserActivity', roles: ['operator'], description: 'users are still active: proceed with a reason, or postpone' });
      }
      return actions;
    }
    case 'installation':
      return state.hosts.filter((h) => h.status === 'running').map((h) => ({
        update: 'recordHostStep',
        roles: ['operator'],
        workflowId: h.workflowId,
        target: h.target,
        description: `install, configure and test ${h.target} (or decide on its failure)`,
      }));
    case 'rollback':
      return manual(state.policy?.snapshotProvider)
        ? [{ update: 'confirmSnapshotsRestored', roles: ['operator'], description: 'restore every snapshot and confirm' }]
        : [];
    case 'functional-testing': {
      const open = state.signOff?.rejections.find((r) => !r.resolution);
      if (open) return [{ update: 'resolveRejection', roles: ['operator'], description: 'fix the named targets or roll back' }];
      const escalation = state.signOff && state.policy
        ? new Date(Date.parse(state.signOff.requestedAt) + state.policy.signOffEscalationHours * 3_600_000).toISOString()
        : undefined;
      return [
        { update: 'signOff', roles: ['customer'], deadline: escalation, description: 'run the functional tests and sign off' },
        { update: 'rejectUpdate', roles: ['customer'], description: 'report a functional failure' },
      ];
    }
    case 'snapshot-deletion':
      return manual(state.policy?.snapshotProvider)
        ? [{ update: 'confirmSnapshotsDeleted', roles: ['operator'], description: 'delete every snapshot and confirm' }]
        : [];
    default:
      return [];
  }
}
