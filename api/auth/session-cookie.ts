/** The console's session cookie: HttpOnly, SameSite=Lax, Secure unless the console is served from this machine. */
export const SESSION_COOKIE = 'mu_session';

/** The session token among the request's cookies, if any. */
export function readSessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length > 0) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}

/** A browser only sends Secure cookies over https; a console on localhost is served over plain http. */
export function secureCookies(consoleUrl: string): boolean {
  return !['localhost', '127.0.0.1', '[::1]'].includes(new URL(consoleUrl).hostname);
}
