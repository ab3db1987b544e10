import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { RequestContext } from '../../common/request-context';
import { redactLogText } from './redact-text';

/** Paths whose values never reach a log line (secrets, tokens, credentials, personal payloads). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.botToken',
  '*.serverToken',
  '*.appSecret',
  '*.secret',
  '*.key',
  '*.apiKey',
  'headers.authorization',
  'headers["x-api-key"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'nanozons' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Query strings may carry tokens (SSE ?token=, hub.verify_token); log paths only.
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url && redactLogText(req.url.split('?')[0]) }),
    },
    hooks: {
      // Every message, whoever logs it (Nest, Fastify, MikroORM errors passed as text).
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactLogText(a) : a)) as Parameters<typeof method>);
      },
    },
  }, destination);
}

/** Request logs get the id from Fastify's child logger; app logs take it from the request context. */
const fields = (context?: string, extra: Record<string, unknown> = {}) => {
  const requestId = RequestContext.requestId();
  return { context, ...(requestId ? { requestId } : {}), ...extra };
};

/** Nest's logger interface over pino, so framework and app logs share one JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, context?: string) {
    this.pino.info(fields(context), String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error(fields(context, { trace: trace && redactLogText(trace) }), String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn(fields(context), String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug(fields(context), String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace(fields(context), String(message));
  }
}
