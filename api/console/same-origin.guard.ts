import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../platform/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * The sign-in routes run before there is a session, so no CSRF token protects them. A browser
 * names where a request comes from (Sec-Fetch-Site, Origin): refuse one from another origin, so
 * another page can neither flood someone's inbox with links nor sign them in to an account of its
 * choosing. A guard, so it answers before the body is even validated.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  /** Behind a proxy the Host header may differ from the console's public address; both are this origin. */
  private readonly consoleHost: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.consoleHost = new URL(config.console.url).host;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    const foreignSite = typeof site === 'string' && !['same-origin', 'none'].includes(site);
    const host = origin === undefined ? undefined : hostOf(origin);
    const foreignOrigin = origin !== undefined && host !== request.headers.host && host !== this.consoleHost;
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
