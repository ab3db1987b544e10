import { EntityManager } from '@mikro-orm/postgresql';
import { DomainEventsSubscriber } from '../../../common/events';
import { Injectable } from '@nestjs/common';
import { assertCan, can, type RequestCtx } from '../../../common/authz';
import { NotFoundError } from '../../../common/errors';
import { decodeIdCursor, Page, toPage } from '../../../common/pagination';
import { ChannelsService } from '../channels.service';
import { WebhookEventQuery } from '../dto/webhook-event-query.dto';
import { WebhookIngestService } from '../webhook-ingest.service';
import { LedgerRepository, LedgerRow } from './ledger.repository';
import { parseProviderJson } from './provider-json';

export interface WebhookEventView {
  id: string;
  channelId: string;
  kind: string;
  receivedAt: Date;
  status: string;
  reason: string | null;
  attempts: number;
  payload: unknown;
  /** What processing produced (counts, normalized results, stored media); null until processed. */
  result: unknown;
  processedAt: Date | null;
}

/** Parsed like processing parses it: integers beyond 2^53 (Postmark bounce IDs) stay exact, as strings. */
function payloadOf(raw: string): unknown {
  try {
    return parseProviderJson(raw);
  } catch {
    return raw;
  }
}

const toView = (r: LedgerRow): WebhookEventView => ({
  id: r.id,
  channelId: r.channel_id,
  kind: r.kind,
  receivedAt: r.received_at,
  status: r.status,
  reason: r.reason,
  attempts: r.attempts,
  payload: payloadOf(r.raw_body),
  result: r.result ?? null,
  processedAt: r.processed_at,
});

/** A stored row under the field names a role's WebhookEvent conditions test (role-conditions). */
const asRecord = (r: LedgerRow) => ({ id: r.id, channelId: r.channel_id, status: r.status });

/** The ledger as the API shows it: newest first, and replay of a stored event. */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly channels: ChannelsService,
    private readonly ingest: WebhookIngestService,
    private readonly em: EntityManager,
    private readonly events: DomainEventsSubscriber,
  ) {}

  async list(ctx: RequestCtx, channelId: string, q: WebhookEventQuery): Promise<Page<WebhookEventView>> {
    await this.channels.load(ctx, channelId);
    const beforeId = decodeIdCursor(q.cursor);
    const rows = await this.ledger.list({ workspaceId: ctx.workspaceId, channelId, status: q.status, beforeId, limit: q.limit + 1 });
    const page = toPage(rows, q.limit, (r) => ({ id: r.id }), (r) => r);
    // The ledger is plain SQL over a partitioned table, so a conditional rule narrows the loaded page
    // (it may come out short); the cursor still advances over every row, so a walk skips none.
    return { data: page.data.filter((r) => can(ctx, 'read', 'WebhookEvent', asRecord(r))).map(toView), nextCursor: page.nextCursor };
  }

  /** Runs the event through processing again; consumers are keyed by provider ids, so replays add nothing twice. */
  async replay(ctx: RequestCtx, channelId: string, eventId: string): Promise<WebhookEventView> {
    await this.channels.load(ctx, channelId);
    const row = await this.ledger.find(eventId, ctx.workspaceId);
    if (!row || row.channel_id !== channelId) throw new NotFoundError('Webhook event');
    assertCan(ctx, 'update', 'WebhookEvent', asRecord(row));
    await this.ledger.reset(eventId, ctx.workspaceId);
    // After the request's commit, so the job sees the reset row.
    const jobId = `${eventId}:replay:${Date.now()}`;
    this.events.afterCommit(this.em, () => void this.ingest.enqueue(ctx.workspaceId, eventId, row.received_at, jobId));
    return toView({ ...row, status: 'pending', reason: null });
  }
}
