import { EntityManager } from '@mikro-orm/postgresql';
import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { ConflictError, DomainError, ValidationFailedError } from '../errors';
import { IdempotencyStore } from './idempotency.store';
import { TransactionSlots } from './transaction-slots';

const HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
const WAIT_MS = 5_000;
const POLL_MS = 50;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Half of the database pool (mikro-orm.config.ts). */
const REQUEST_TRANSACTIONS = 10;

/** Canonical JSON (sorted keys) so the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

type Run = { kind: 'ran'; body: unknown } | Exclude<Awaited<ReturnType<IdempotencyStore['claim']>>, { kind: 'claimed' }>;

/**
 * One transaction per mutating call in a workspace (and per keyed POST): the change, its audit entry
 * (the audit interceptor runs inside) and its stored Idempotency-Key answer commit together or not at
 * all, so a failure after the change can never leave it half-done behind an error answer.
 *
 * `Idempotency-Key` on POSTs: the first answer (status and body) is stored for 24 h and replayed for
 * the same key and body; a different body answers 422 `idempotency_key_reused`; concurrent first uses
 * run once (the others wait for the first answer). Keys are scoped to the caller's credential.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly slots = new TransactionSlots(REQUEST_TRANSACTIONS);

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = req.method === 'POST' ? req.headers[HEADER] : undefined;
    if (key === undefined) {
      return MUTATING.has(req.method) && req.ctx ? defer(() => this.slots.run(() => this.em.transactional(() => lastValueFrom(next.handle(), { defaultValue: undefined })))) : next.handle();
    }
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new ValidationFailedError([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    }
    const caller = req.user ? `${req.user.type}:${req.user.id}` : `ip:${req.ip}`;
    const route = `${req.method} ${req.routeOptions.url}`;
    const scope = `${caller}|${route}|${JSON.stringify(req.params ?? {})}`;
    const fingerprint = createHash('sha256').update(canonical(req.body)).digest('hex');
    const statusCode = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    return defer(() => this.keyed({ scope, key, fingerprint, statusCode }, next, reply));
  }

  /** Runs the request once under its key, or replays the stored answer once the first run committed. */
  private async keyed(k: { scope: string; key: string; fingerprint: string; statusCode: number }, next: CallHandler, reply: FastifyReply): Promise<unknown> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const run = await this.slots.run(() => this.em.transactional(async (): Promise<Run> => {
        const claim = await this.store.claim(k.scope, k.key);
        if (claim.kind !== 'claimed') return claim;
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        // A handler that set its status itself (passthrough reply) wins over the route's declared code.
        await this.store.complete(k.scope, k.key, k.fingerprint, reply.statusCode !== 200 ? reply.statusCode : k.statusCode, body);
        return { kind: 'ran', body };
      }));
      if (run.kind === 'ran') return run.body;
      if (run.kind === 'done') {
        if (run.fingerprint !== k.fingerprint) throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
        reply.status(run.statusCode).header('Idempotent-Replayed', 'true');
        return run.response;
      }
      if (Date.now() > deadline) throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly.');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
