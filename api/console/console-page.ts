import {
  type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Inject, Injectable, NotFoundException, ParseUUIDPipe,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../../platform/config';
import type { ActiveSession } from '../auth/console-sessions';
import { SESSION_PROPERTY } from '../auth/roles.decorator';
import { readSessionCookie, clearedSessionCookie, secureCookies } from '../auth/session-cookie';
import { APP_CONFIG } from '../config/config.module';
import { fromHttpException } from '../errors/error.filter';
import { ConsoleViews } from './console-views';

export const HTML_PAGE = 'text/html; charset=utf-8';

/** What every page's layout shows: who is signed in, their navigation, and the CSRF token the script sends. */
export function pageView(session: ActiveSession | undefined, title: string, view: object = {}): object {
  const actor = session?.person.actor;
  return {
    title,
    me: actor && { email: session.person.email, role: actor.role, customerId: actor.customerId },
    csrfToken: session?.csrfToken,
    isCustomer: actor?.role === 'customer',
    isOperator: actor?.role === 'operator',
    isAuditor: actor?.role === 'auditor',
    ...view,
  };
}

/** A request id that is no UUID names no request: the same 404 as any unknown one. */
export const notFoundUnlessUuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('request not found') });

/** Where each role starts. */
export function homeOf(role: string): string {
  return role === 'operator' ? '/console/queue' : '/console/requests';
}

/**
 * Errors on console pages as pages: without a session (never had one, signed out, expired or
 * revoked) the browser goes to the sign-in page and the dead cookie is cleared; a 403 or 404 is a
 * page saying so, worded like the API (another tenant's request is "not found").
 */
@Catch(HttpException)
@Injectable()
export class ConsolePageFilter implements ExceptionFilter {
  constructor(private readonly views: ConsoleViews, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<IncomingMessage>();
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const status = exception.getStatus();
    if (request.method !== 'GET') {
      // The console's script posts JSON and reads the API's error body.
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(fromHttpException(exception)));
      return;
    }
    if (status === HttpStatus.UNAUTHORIZED) {
      if (readSessionCookie(request.headers.cookie)) {
        response.setHeader('Set-Cookie', clearedSessionCookie(secureCookies(this.config.console.url)));
      }
      response.writeHead(303, { Location: '/console/sign-in' }).end();
      return;
    }
    const { message } = fromHttpException(exception);
    const session = (request as unknown as Record<string, unknown>)[SESSION_PROPERTY] as ActiveSession | undefined;
    response.writeHead(status, { 'Content-Type': HTML_PAGE });
    response.end(this.views.render('error', pageView(session, status === 404 ? 'Not found' : 'Not possible', {
      status, message: Array.isArray(message) ? message.join('; ') : String(message),
    })));
  }
}
