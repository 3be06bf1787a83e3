import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WorkflowNotFoundError } from '@temporalio/common';
import { STATUS_CODES } from 'node:http';
import { unreachableDependency } from './unreachable-dependency';

/** The one error body of the API; `message` is a list for validation errors, one entry per field. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  details?: unknown;
}

/** How long a client should wait before retrying a 503: a restarting dependency is usually back by then. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Turns every error into an ErrorBody. An unreachable Temporal or PostgreSQL is a 503 the client may
 * retry; anything unexpected is a bare 500, its stack only in the log.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const body = this.toBody(exception);
    if (body.statusCode === 503) httpAdapter.setHeader(response, 'Retry-After', String(RETRY_AFTER_SECONDS));
    if (body.statusCode === 401) httpAdapter.setHeader(response, 'WWW-Authenticate', 'Bearer');
    httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) return fromHttpException(exception);
    // The read model knows a request whose workflow Temporal no longer has (its retention ran out).
    if (exception instanceof WorkflowNotFoundError) return errorBody(404, `workflow ${exception.workflowId} not found`);
    const statusCode = clientErrorStatus(exception);
    if (statusCode !== undefined && exception instanceof Error) return errorBody(statusCode, exception.message);
    const dependency = unreachableDependency(exception);
    if (dependency) {
      this.logger.warn({ err: exception }, `${dependency} is unreachable`);
      return errorBody(503, `${dependency} is unreachable, try again later`);
    }
    this.logger.error(exception);
    return errorBody(500, 'Internal server error');
  }
}

export function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return errorBody(statusCode, response);
  const body = errorBody(statusCode, 'message' in response && isMessage(response.message) ? response.message : exception.message);
  if ('error' in response && typeof response.error === 'string') body.error = response.error;
  if ('details' in response) body.details = response.details;
  return body;
}

/** The 4xx of errors thrown before Nest's pipes run, e.g. the body parser's 400 and 413. */
function clientErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const status = 'status' in exception ? exception.status : undefined;
  const exposed = 'expose' in exception && exception.expose === true;
  return exposed && typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function isMessage(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((m) => typeof m === 'string'));
}

function errorBody(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}
