import type { Severity, UpdatePolicy, UpdateRequest } from './update-request.contract';

export const SEVERITIES: readonly Severity[] = ['blocker', 'high', 'major', 'minor'];

/** Where the fix lands: blocker and high in the vendor's next service pack, major and minor in the next minor release. */
export type ReleaseTrack = 'next-service-pack' | 'next-minor-release';

/**
 * A request's priority: rank 1 (most urgent) to 4, from its severity; a critical security fix is
 * handled as a blocker whatever severity it was filed with. `severity` is the one that decides
 * (the response time and the escalation path are looked up by it).
 */
export interface Priority {
  rank: 1 | 2 | 3 | 4;
  severity: Severity;
  track: ReleaseTrack;
}

export function priorityOf({ severity, criticalSecurity }: Pick<UpdateRequest, 'severity' | 'criticalSecurity'>): Priority {
  const deciding: Severity = criticalSecurity ? 'blocker' : severity;
  const rank = (SEVERITIES.indexOf(deciding) + 1) as Priority['rank'];
  return { rank, severity: deciding, track: rank <= 2 ? 'next-service-pack' : 'next-minor-release' };
}

/**
 * Hours operators have to respond to the request (the short-notice decision, each of their steps)
 * under its recorded policy. Policies recorded before response times existed had one deadline for
 * the short-notice decision and none for the other steps: `undefined` then.
 */
export function responseHours(policy: UpdatePolicy, request: UpdateRequest): number | undefined {
  return policy.responseHours?.[priorityOf(request).severity];
}
