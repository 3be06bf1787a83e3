import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiMetrics } from './api-metrics';

/** What Express adds to a request once a route matched it. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/** The matched route's pattern (`/requests/:id`), or `unmatched`: never the raw path with its ids and query. */
export function routePattern(req: IncomingMessage): string {
  const { route, baseUrl } = req as RoutedRequest;
  return route?.path ? `${baseUrl ?? ''}${String(route.path)}` : 'unmatched';
}

/**
 * Times every request and counts it by status. Installed on the Express app before the body parser,
 * so refusals that never reach Nest (413, malformed JSON) are counted too. The route label is the
 * matched pattern (`/requests/:id`), never the raw path, to keep the label set small.
 */
export function httpMetricsMiddleware(metrics: ApiMetrics) {
  return (req: RoutedRequest, res: ServerResponse, next: () => void): void => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method ?? '', route: routePattern(req), status: String(res.statusCode) };
      stop(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
}
