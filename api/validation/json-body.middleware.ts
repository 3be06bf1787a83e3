import type { IncomingMessage, ServerResponse } from 'node:http';
import typeis from 'type-is';

type Next = (err?: unknown) => void;

/** An error the ErrorFilter answers with its own status and message, like the body parser's. */
function clientError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status, expose: true });
}

/** An empty body (`Content-Length: 0`, as a browser's bodiless POST sends) counts as no body. */
function carriesBody(req: IncomingMessage): boolean {
  return typeis.hasBody(req) && req.headers['content-length'] !== '0';
}

/**
 * Every route takes JSON or nothing. A body of another type would be skipped by the JSON parser
 * and the route would run as if no body had been sent (a cancellation without its reason), so it
 * is refused with 415 before anything runs.
 */
export function requireJsonBody() {
  return (req: IncomingMessage, _res: ServerResponse, next: Next): void => {
    if (carriesBody(req) && !typeis(req, ['application/json', '+json'])) {
      next(clientError(415, 'the body must be application/json'));
      return;
    }
    next();
  };
}

/**
 * After the parser: a body is one JSON object. The parser also accepts an array, which the
 * validation pipe would turn into a list of DTOs instead of refusing it.
 */
export function requireObjectBody() {
  return (req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: Next): void => {
    if (carriesBody(req) && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))) {
      next(clientError(400, 'the body must be a JSON object'));
      return;
    }
    next();
  };
}
