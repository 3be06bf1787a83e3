import type { INestApplication } from '@nestjs/common';

export interface Route {
  method: string;
  /** Express syntax, e.g. /requests/:requestId */
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * The routes Nest registered on Express, read from Express's router, so a test compares against
 * what the app really serves rather than a list of its own.
 */
export function registeredRoutes(app: INestApplication): Route[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack
    .flatMap((layer) => layer.route
      ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => ({ method: m.toUpperCase(), path: layer.route!.path }))
      : [])
    // Leaves out the documentation's own routes, Nest's catch-all that answers 404, and the console's
    // pages and sign-in (for people, not part of the API's contract; test/console/ covers them).
    .filter((r) => !r.path.startsWith('/docs') && !r.path.includes('{*') && !r.path.startsWith('/console'))
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
