import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from '../../workflows/update-request.contract';
import type { ActiveSession } from './console-sessions';

/** Metadata key the authentication guard reads to decide which roles may call a route. */
export const ROLES_KEY = 'managed-updates:roles';

/** The roles allowed on a controller or route; every other authenticated caller gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The request property the authentication guard fills with the authenticated caller. */
export const ACTOR_PROPERTY = 'actor';

/** The authenticated caller, as the workflow's contract names it (`Actor`). */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<Record<string, unknown>>()[ACTOR_PROPERTY];
  if (!actor) throw new Error('CurrentActor used on a route the authentication guard does not cover');
  return actor as Actor;
});

/** The request property the guard fills with the console session, when a person (not an API key) calls. */
export const SESSION_PROPERTY = 'consoleSession';

/** The caller's console session; undefined for an API key. */
export const CurrentSession = createParamDecorator((_data: unknown, ctx: ExecutionContext): ActiveSession | undefined =>
  ctx.switchToHttp().getRequest<Record<string, unknown>>()[SESSION_PROPERTY] as ActiveSession | undefined);
