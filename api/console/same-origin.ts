import { ForbiddenException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/**
 * The sign-in routes run before there is a session, so no CSRF token protects them. A browser
 * names where a request comes from (Sec-Fetch-Site, Origin): refuse one from another site, so
 * another page can neither flood someone's inbox with links nor sign them in to an account of its choosing.
 */
export function requireSameOrigin(request: IncomingMessage): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const foreignSite = typeof site === 'string' && !['same-origin', 'none'].includes(site);
  const foreignOrigin = origin !== undefined && hostOf(origin) !== request.headers.host;
  if (foreignSite || foreignOrigin) throw new ForbiddenException('sign-in requests must come from the console itself');
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (a sandboxed or file page) or garbage: never our host
  }
}
