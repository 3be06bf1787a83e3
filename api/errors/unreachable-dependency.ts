import { isGrpcServiceError } from '@temporalio/client';
import { QueryFailedError } from 'typeorm';

export type Dependency = 'Temporal' | 'PostgreSQL';

// gRPC status codes (grpc/status.h) with which Temporal's client reports a server it cannot reach.
const GRPC_UNREACHABLE = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

// Socket errors. Temporal's surface as gRPC statuses and SMTP is only probed by /health, so in the
// API a raw socket error comes from the PostgreSQL driver.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

// SQLSTATE: class 08 is "connection exception"; 57P01-57P03 mean the server is shutting down or starting.
const SQLSTATE_UNREACHABLE = /^(08...|57P0[1-3])$/;

// What pg and its pool throw, without a code, when a connection is lost or never comes.
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect)/;

/** Which dependency an error says is unreachable, looking through its causes; undefined for any other error. */
export function unreachableDependency(error: unknown): Dependency | undefined {
  for (const e of causes(error)) {
    if (isGrpcServiceError(e) && GRPC_UNREACHABLE.has(e.code)) return 'Temporal';
    const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
    if (code && (SOCKET_CODES.has(code) || SQLSTATE_UNREACHABLE.test(code))) return 'PostgreSQL';
    if (PG_CONNECTION_MESSAGES.test(e.message)) return 'PostgreSQL';
  }
  return undefined;
}

function* causes(error: unknown): Generator<Error> {
  for (let e = error; e instanceof Error; e = e instanceof QueryFailedError ? e.driverError : e.cause) yield e;
}
