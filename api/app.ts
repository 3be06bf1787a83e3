import { ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../platform/config';
import { AppModule } from './app.module';
import { ErrorFilter } from './errors/error.filter';

/** Requests are small JSON documents; anything larger is refused with 413 before it is parsed. */
const BODY_LIMIT = '64kb';

/** The API application, initialised but not listening, so that tests can listen on a port of their own. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    // Only the JSON parser, with our limit; abortOnError: false makes a failed start throw instead of abort.
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true }));
  app.useGlobalFilters(new ErrorFilter(app.get(HttpAdapterHost)));
  await app.init();
  return app;
}
