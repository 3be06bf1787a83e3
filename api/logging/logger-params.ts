import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import { createLogger } from '../../platform/logging';
import type { Actor } from '../../workflows/update-request.contract';
import { ACTOR_PROPERTY } from '../auth/roles.decorator';

/** A caller's X-Request-Id is kept when it looks like one, so one id follows a request across services. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Who made the request, once the guard has authenticated it (pino-http asks again when the response is logged). */
function actorOf(req: IncomingMessage): { actor?: Actor } {
  const actor = (req as IncomingMessage & Record<string, unknown>)[ACTOR_PROPERTY] as Actor | undefined;
  return actor ? { actor } : {};
}

/**
 * JSON logs from the platform's logger; every line logged while serving a request carries its id,
 * the response line also the caller. API keys, session cookies and CSRF tokens never reach the log.
 */
export function loggerParams(logLevel: string): Params {
  return {
    pinoHttp: {
      logger: createLogger('api', logLevel),
      genReqId: requestId,
      customProps: actorOf,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
  };
}
