import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { Actor, ActorRole } from '../../workflows/update-request.contract';
import { ConsoleSessions, type ActiveSession } from './console-sessions';
import { CredentialStore } from './credential-store';
import { PUBLIC_KEY } from './public.decorator';
import { ACTOR_PROPERTY, ROLES_KEY, SESSION_PROPERTY } from './roles.decorator';
import { sameSecret } from './secret-tokens';
import { readSessionCookie } from './session-cookie';

/** `Authorization: Bearer <key>`; the rate limits read the presented key with it too. */
export const BEARER = /^Bearer\s+(\S+)$/i;
/** Methods that change nothing; every other method from a session must prove it comes from the console. */
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The global guard. Every route needs a caller unless marked @Public(): machines present
 * `Authorization: Bearer <api key>`, people the console's session cookie. The caller becomes the
 * request's Actor. A cookie is sent by the browser on its own, so a state-changing request from a
 * session must also carry the session's CSRF token in X-CSRF-Token, which only the console's own
 * pages can read; a forged cross-site form or fetch cannot. A route's @Roles (on the handler, else
 * its controller) limit who may call it: 401 without a valid key or session, 403 for another role.
 * Tenancy (a customer's own requests) is the route's business.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialStore,
    private readonly sessions: ConsoleSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<IncomingMessage & Record<string, unknown>>();
    const actor = await this.authenticate(request);
    request[ACTOR_PROPERTY] = actor;
    const roles = this.reflector.getAllAndOverride<ActorRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new ForbiddenException(`role ${actor.role} may not do this; allowed: ${roles.join(', ')}`);
    }
    return true;
  }

  private async authenticate(request: IncomingMessage & Record<string, unknown>): Promise<Actor> {
    const key = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (key) {
      const actor = await this.credentials.actorForKey(key);
      if (!actor) throw new UnauthorizedException('the API key is unknown or revoked');
      return actor;
    }
    const token = readSessionCookie(request.headers.cookie);
    if (!token) throw new UnauthorizedException('an API key is required: Authorization: Bearer <key> (or sign in to the console)');
    const session = await this.sessions.find(token);
    if (!session) throw new UnauthorizedException('the session has ended: sign in again');
    if (!SAFE_METHODS.includes(request.method ?? 'GET')) checkCsrf(request, session);
    request[SESSION_PROPERTY] = session;
    return session.person.actor;
  }
}

function checkCsrf(request: IncomingMessage, session: ActiveSession): void {
  const presented = request.headers[CSRF_HEADER];
  if (typeof presented !== 'string' || !sameSecret(presented, session.csrfToken)) {
    throw new ForbiddenException('a console request must carry its CSRF token (X-CSRF-Token)');
  }
}
