import type { UpdateRequestActivities } from '../workflows/activity-contract';
import { loadConfig, type OnCallConfig, type PolicyConfig } from '../platform/config';
import { createInstalledSoftwareActivities } from './installed-software.activities';
import { MailTemplates } from './mail-templates';
import { createMaintenancePlanActivities } from './maintenance-plan.activities';
import { createNotificationActivities } from './notification.activities';
import { createPingActivities, type PingDependencies } from './ping.activities';
import { createPolicyActivities } from './policy.activities';
import { createReadModelActivities } from './read-model.activities';
import { createSecurityAdvisoryActivities } from './security-advisory.activities';
import { createSessionActivities } from './session.activities';
import type { SessionProvider } from './session-provider';
import { createSlotActivities } from './slot.activities';
import { createSnapshotActivities } from './snapshot.activities';
import type { SnapshotProvider } from './snapshot-provider';
import { SupportHours } from './support-hours';
import { createSupportWarningsActivities } from './support-warnings.activities';

export interface ActivityDependencies extends PingDependencies {
  /** The worker passes its configuration; tests may leave these out to get the documented defaults. */
  policy?: PolicyConfig;
  supportHours?: SupportHours;
  /** The API's public origin, where partners' acceptance links point (CONSOLE_URL). */
  consoleUrl?: string;
  /** Absent: no provider configured, operators act by hand (the policy says so). */
  snapshotProvider?: SnapshotProvider;
  sessionProvider?: SessionProvider;
  /** Tests may pass their own; by default the templates under templates/mail are loaded once, for every message. */
  templates?: MailTemplates;
  /** The escalation path (ON_CALL_EMAIL); absent, operations messages go to operations only. */
  onCall?: OnCallConfig;
}

/** Every activity the worker registers, bound to the real dependencies it is given. */
export function createActivities(deps: ActivityDependencies) {
  const policy = deps.policy ?? loadConfig({}).policy;
  const supportHours = deps.supportHours ?? new SupportHours(loadConfig({}).supportHours);
  const templates = deps.templates ?? MailTemplates.load();
  const updateRequestActivities = {
    ...createPolicyActivities({ ...deps, policy }),
    ...createSlotActivities({ ...deps, supportHours }),
    ...createSnapshotActivities(deps),
    ...createSessionActivities(deps),
    ...createNotificationActivities({ ...deps, templates }),
    ...createReadModelActivities(deps),
    ...createInstalledSoftwareActivities(deps),
    ...createSecurityAdvisoryActivities(deps),
  } satisfies UpdateRequestActivities;
  return { ...createPingActivities(deps), ...createMaintenancePlanActivities({ ...deps, templates }),
    ...createSupportWarningsActivities({ ...deps, templates }), ...updateRequestActivities };
}
