import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import { createLogger } from '../../platform/logging';
import type { Actor } from '../../workflows/update-request.contract';
import { ACTOR_PROPERTY } from '../auth/roles.decorator';
import { routePattern } from '../metrics/http-metrics.middleware';

/** A caller's X-Request-Id is kept when it looks like one, so one id follows a request across services. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * What the response line adds once the request was routed and authenticated (pino-http asks again
 * when the response is logged): the route's pattern and the caller.
 */
function routeAndActor(req: IncomingMessage): { route?: string; actor?: Actor } {
  const actor = (req as IncomingMessage & Record<string, unknown>)[ACTOR_PROPERTY] as Actor | undefined;
  const route = routePattern(req);
  return { ...(route === 'unmatched' ? {} : { route }), ...(actor ? { actor } : {}) };
}

/**
 * JSON logs from the platform's logger; every line logged while serving a request carries its id,
 * the response line also its route, status, duration and caller. Only what an operator needs: no
 * headers (keys, cookies), no query strings (they may carry tokens), no addresses.
 */
export function loggerParams(logLevel: string): Params {
  return {
    pinoHttp: {
      logger: createLogger('api', logLevel),
      genReqId: requestId,
      customProps: routeAndActor,
      serializers: {
        req: (req: { id: string; method: string }) => ({ id: req.id, method: req.method }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
