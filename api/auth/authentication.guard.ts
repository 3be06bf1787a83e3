import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { Role } from '../../workflows/update-request.contract';
import { CredentialStore } from './credential-store';
import { PUBLIC_KEY } from './public.decorator';
import { ACTOR_PROPERTY, ROLES_KEY } from './roles.decorator';

/** `Authorization: Bearer <key>`; the rate limits read the presented key with it too. */
export const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The global guard. Every route needs `Authorization: Bearer <api key>` unless marked @Public();
 * the caller becomes the request's Actor. A route's @Roles (on the handler, else its controller)
 * limit who may call it: 401 without a valid key, 403 for another role. Without @Roles any
 * authenticated caller passes; tenancy (a customer's own requests) is the route's business.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<IncomingMessage & Record<string, unknown>>();
    const key = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!key) throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
    const actor = await this.credentials.actorForKey(key);
    if (!actor) throw new UnauthorizedException('the API key is unknown or revoked');
    request[ACTOR_PROPERTY] = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new ForbiddenException(`role ${actor.role} may not do this; allowed: ${roles.join(', ')}`);
    }
    return true;
  }
}
