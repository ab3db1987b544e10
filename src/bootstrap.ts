import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController } from 'fastify';
import { AppModule } from './app.module';
import { appEnv } from './config';
import { ProblemFilter, validationExceptionFactory } from './common/errors';
import { createLogger, PinoNestLogger } from './infrastructure/logging/logger';
import { BODY_LIMIT, registerJsonBodyParser } from './infrastructure/http/json-body-parser';
import { registerHttpHooks } from './infrastructure/http/http-hooks';
import { clientErrorHandler, frameworkErrors } from './infrastructure/http/framework-errors';
import { setupSwagger } from './infrastructure/http/swagger';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the fully configured app (not yet listening); shared by main.ts and the e2e tests. */
export async function createApp(): Promise<NestFastifyApplication> {
  const env = appEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: env.NODE_ENV === 'test', requestIdLogLabel: 'requestId' }),
    bodyLimit: BODY_LIMIT,
    frameworkErrors,
    clientErrorHandler,
    trustProxy: env.TRUST_PROXY,
    // Keep a caller's X-Request-Id when it is safe to log; otherwise mint one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    rawBody: true,
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // Throw instead of exiting, so callers (main, tests) decide what a failed start means.
    abortOnError: false,
  });
  registerJsonBodyParser(app);
  registerHttpHooks(app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.enableShutdownHooks();
  setupSwagger(app);
  return app;
}
