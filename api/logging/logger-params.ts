import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import { createLogger } from '../../platform/logging';

/** A caller's X-Request-Id is kept when it looks like one, so one id follows a request across services. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** JSON logs from the platform's logger; every line logged while serving a request carries its id. */
export function loggerParams(logLevel: string): Params {
  return { pinoHttp: { logger: createLogger('api', logLevel), genReqId: requestId } };
}
