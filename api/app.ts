import { ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../platform/config';
import path from 'node:path';
import { AppModule } from './app.module';
import { WEB_DIR } from './console/console-views';
import { ErrorFilter } from './errors/error.filter';
import { ApiMetrics } from './metrics/api-metrics';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { serveOpenApi } from './openapi';
import { securityHeaders } from './security-headers';
import { PathParamPipe } from './validation/path-param.pipe';
import { requireJsonBody, requireObjectBody } from './validation/json-body.middleware';

/** Requests are small JSON documents; anything larger is refused with 413 before it is parsed. */
const BODY_LIMIT = '64kb';

/** The API application, initialised but not listening, so that tests can listen on a port of their own. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const metrics = new ApiMetrics();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, metrics), {
    // Only the JSON parser, with our limit; abortOnError: false makes a failed start throw instead of abort.
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // The client's address (rate limits) comes from X-Forwarded-For only when the proxy is trusted.
  app.set('trust proxy', config.api.trustProxy);
  app.use(securityHeaders());
  // Before the body parser, so that its refusals (413, malformed JSON) are measured as well.
  app.use(httpMetricsMiddleware(metrics));
  app.use(requireJsonBody());
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(requireObjectBody());
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true }), new PathParamPipe());
  app.useGlobalFilters(new ErrorFilter(app.get(HttpAdapterHost)));
  // Before init: init adds the catch-all 404 after every route registered so far.
  serveOpenApi(app);
  // The console's script and style sheet, from this application (many deployments have no internet).
  app.useStaticAssets(path.join(WEB_DIR, 'assets'), { prefix: '/console/assets/', index: false, maxAge: '1h' });
  await app.init();
  return app;
}
