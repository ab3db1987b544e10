import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, from, Observable, of, switchMap, throwError } from 'rxjs';
import { ConflictError, DomainError, ValidationFailedError } from '../errors';
import { IdempotencyStore } from './idempotency.store';

const HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
const WAIT_MS = 5_000;

/** Canonical JSON (sorted keys) so the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * `Idempotency-Key` on POSTs: the first answer (status and body) is stored for 24 h and replayed for
 * the same key and body; a different body answers 422 `idempotency_key_reused`; concurrent first uses
 * run once (the others wait for the first answer). Keys are scoped to the caller's credential.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = req.headers[HEADER];
    if (req.method !== 'POST' || key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new ValidationFailedError([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    }
    const caller = req.user ? `${req.user.type}:${req.user.id}` : `ip:${req.ip}`;
    const route = `${req.method} ${req.routeOptions.url}`;
    const scope = `${caller}|${route}|${JSON.stringify(req.params ?? {})}`;
    const fingerprint = createHash('sha256').update(canonical(req.body)).digest('hex');
    const statusCode = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;

    return from(this.claim(scope, key, fingerprint)).pipe(
      switchMap((claim) => {
        if (claim) {
          reply.status(claim.statusCode).header('Idempotent-Replayed', 'true');
          return of(claim.response);
        }
        return next.handle().pipe(
          // A handler that set its status itself (passthrough reply) wins over the route's declared code.
          switchMap((body) => from(this.store.complete(scope, key, reply.statusCode !== 200 ? reply.statusCode : statusCode, body).then(() => body))),
          catchError((err) => from(this.store.release(scope, key)).pipe(switchMap(() => throwError(() => err)))),
        );
      }),
    );
  }

  /** Null when this request should execute; the stored answer when it should be replayed. */
  private async claim(scope: string, key: string, fingerprint: string): Promise<{ statusCode: number; response: unknown } | null> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const claim = await this.store.claim(scope, key, fingerprint);
      if (claim.kind === 'claimed') return null;
      if (claim.fingerprint !== fingerprint) {
        throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
      }
      if (claim.kind === 'done') return { statusCode: claim.statusCode, response: claim.response };
      if (Date.now() > deadline) throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly.');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
