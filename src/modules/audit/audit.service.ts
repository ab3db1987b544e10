import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { permittedWhere, type Actor, type RequestCtx } from '../../common/authz';
import { decodeIdCursor, Page, toPage } from '../../common/pagination';
import { RequestContext } from '../../common/request-context';
import { newId } from '../../infrastructure/database';
import { AuditEvent } from './entities/audit-event.entity';
import { redactChanges } from './redact';
import type { AuditEventQuery } from './dto/audit-event-query.dto';

export interface AuditEntry {
  workspaceId: string;
  actor: Actor;
  action: string;
  subjectType?: string;
  subjectId?: string;
  changes?: unknown;
  ip?: string;
  requestId?: string;
}

export interface AuditEventView {
  id: string;
  actor: Actor;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  changes: Record<string, unknown> | null;
  ip: string | null;
  requestId: string | null;
  createdAt: Date;
}

/** The append-only audit log. Writes join the caller's transaction so a rolled-back change leaves no entry. */
@Injectable()
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.insert(this.em, entry);
  }

  /**
   * For what did not happen (a refused send): written outside the caller's transaction, so the
   * request's rollback after the refusal keeps the entry.
   */
  async recordOutsideTransaction(entry: AuditEntry): Promise<void> {
    await this.insert(this.em.fork(), entry);
  }

  private async insert(em: EntityManager, entry: AuditEntry): Promise<void> {
    const request = RequestContext.current();
    await em.insert(AuditEvent, {
      id: newId(),
      workspaceId: entry.workspaceId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      action: entry.action,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      changes: entry.changes === undefined ? null : (redactChanges(entry.changes) as Record<string, unknown>),
      ip: entry.ip ?? request?.ip ?? null,
      requestId: entry.requestId ?? request?.requestId ?? null,
      createdAt: new Date(),
      updatedAt: new Date(),
    } as never);
  }

  recordFor(ctx: RequestCtx, action: string, subjectType?: string, subjectId?: string, changes?: unknown): Promise<void> {
    return this.record({ workspaceId: ctx.workspaceId, actor: ctx.actor, action, subjectType, subjectId, changes, ip: ctx.ip, requestId: ctx.requestId });
  }

  async list(ctx: RequestCtx, q: AuditEventQuery): Promise<Page<AuditEventView>> {
    const afterId = decodeIdCursor(q.cursor);
    const where: Record<string, unknown> = { workspaceId: ctx.workspaceId, ...permittedWhere(ctx, 'read', 'AuditEvent') };
    if (q.action) where.action = q.action;
    if (q.actorId) where.actorId = q.actorId;
    if (q.from || q.to) where.createdAt = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
    if (afterId) where.id = { $lt: afterId };
    const rows = await this.em.find(AuditEvent, where, { orderBy: { id: 'desc' }, limit: q.limit + 1 });
    return toPage(rows, q.limit, (r) => ({ id: r.id }), toView);
  }
}

const toView = (e: AuditEvent): AuditEventView => ({
  id: e.id,
  actor: { type: e.actorType, id: e.actorId },
  action: e.action,
  subjectType: e.subjectType ?? null,
  subjectId: e.subjectId ?? null,
  changes: e.changes ?? null,
  ip: e.ip ?? null,
  requestId: e.requestId ?? null,
  createdAt: e.createdAt,
});
