import type { Target, UpdateRequest } from '../update-request.contract';

/**
 * The VMs this update changes, in the order they are worked on: application servers first, then
 * client hosts one at a time, and client hosts only when a client update is part of the request.
 */
export function touchedTargets(request: UpdateRequest): Target[] {
  const servers = request.targets.filter((t) => t.kind === 'application-server');
  const clients = request.clientUpdateIncluded ? request.targets.filter((t) => t.kind === 'client-host') : [];
  return [...servers, ...clients];
}
