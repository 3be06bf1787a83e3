import pino, { type Logger } from 'pino';
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';

/** Structured JSON logs on stdout, one logger per process, named by its component. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level });
}

const TEMPORAL_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/** Routes the Temporal SDK's own logs (worker, workflows, activities) into our JSON logger. */
export function installTemporalRuntime(logger: Logger, level: LogLevel = 'INFO'): void {
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: sdkLevel, message, meta }) => {
      logger[TEMPORAL_LEVELS[sdkLevel]](serializeErrors(meta ?? {}), message);
    }),
  });
}

/**
 * The SDK puts errors under `error` ("Workflow failed", "Failed to process Workflow Activation");
 * an Error's own fields are not enumerable, so JSON would show `"error":{}`. pino serializes only
 * `err` by itself, so every Error value is serialized the same way here (type, message, stack, cause).
 */
export function serializeErrors(meta: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta).map(([key, value]) => [key, value instanceof Error ? pino.stdSerializers.err(value) : value]));
}
