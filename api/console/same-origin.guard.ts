import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/**
 * The sign-in routes run before there is a session, so no CSRF token protects them. A browser
 * names where a request comes from (Sec-Fetch-Site, Origin): refuse one from another origin, so
 * another page can neither flood someone's inbox with links nor sign them in to an account of its
 * choosing. A guard, so it answers before the body is even validated.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    const foreignSite = typeof site === 'string' && !['same-origin', 'none'].includes(site);
    const foreignOrigin = origin !== undefined && hostOf(origin) !== request.headers.host;
    if (foreignSite || foreignOrigin) throw new ForbiddenException('sign-in requests must come from the console itself');
    return true;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (a sandboxed or file page) or garbage: never our host
  }
}
