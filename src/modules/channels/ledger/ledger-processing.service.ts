import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { TENANT_FILTER } from '../../../infrastructure/database';
import { InjectRedis } from '../../../infrastructure/redis/redis.module';
import { adapterFor, ParsedWebhook, WebhookKind } from '../adapters';
import { ChannelsService } from '../channels.service';
import { Channel } from '../entities/channel.entity';
import { InboundConsumerRegistry, InboundEvent } from '../inbound-consumer';
import { MediaService, StoredMedia } from '../media.service';
import { LedgerRepository } from './ledger.repository';
import { parseProviderJson } from './provider-json';
import { storableProviderJson, storableReason } from './provider-text';

/** Longer than any processing run (media downloads retry within it); a crashed worker's lock expires. */
const PROCESSING_LOCK_MS = 120_000;

export type ProcessOutcome = 'processed' | 'ignored' | 'skipped';

/** Turns one stored event into normalized results and hands them to the registered consumers. */
@Injectable()
export class LedgerProcessingService {
  private readonly logger = new Logger(LedgerProcessingService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly ledger: LedgerRepository,
    private readonly channels: ChannelsService,
    private readonly media: MediaService,
    private readonly consumers: InboundConsumerRegistry,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  /**
   * One processor per event at a time, cluster-wide: a replay issued while the original job still
   * runs waits (the job retries) instead of running the consumers twice in parallel.
   */
  async process(eventId: string, workspaceId: string): Promise<ProcessOutcome> {
    const lock = `lock:webhook-event:${eventId}`;
    if ((await this.redis.set(lock, '1', 'PX', PROCESSING_LOCK_MS, 'NX')) !== 'OK') {
      throw new Error(`event ${eventId} is being processed by another worker`);
    }
    try {
      return await this.processUnlocked(eventId, workspaceId);
    } finally {
      await this.redis.del(lock);
    }
  }

  private async processUnlocked(eventId: string, workspaceId: string): Promise<ProcessOutcome> {
    const row = await this.ledger.find(eventId, workspaceId);
    if (!row || row.status !== 'pending') return 'skipped';
    await this.ledger.markAttempt(eventId);
    const em = this.em.fork();
    em.setFilterParams(TENANT_FILTER, { workspaceId });
    const channel = await em.findOne(Channel, { id: row.channel_id, workspaceId });
    if (!channel) {
      await this.ledger.finish(eventId, 'ignored', 'channel no longer exists');
      return 'ignored';
    }
    const parsed = adapterFor(channel.type).parse(storableProviderJson(parseProviderJson(row.raw_body)), row.kind as WebhookKind);
    const total = parsed.messages.length + parsed.statuses.length + parsed.reactions.length + parsed.edits.length + parsed.consents.length;
    if (total === 0 && parsed.ignoredReason) {
      await this.ledger.finish(eventId, 'ignored', parsed.ignoredReason);
      return 'ignored';
    }
    const media = await this.downloadMedia(channel, parsed);
    const event: InboundEvent = { workspaceId, channelId: channel.id, channelType: channel.type, eventId, receivedAt: row.received_at, media };
    for (const consumer of this.consumers.list()) await consumer.consume(event, parsed);
    await this.ledger.finish(eventId, 'processed', null, summarize(parsed, media));
    return 'processed';
  }

  /** The reason may quote the content that failed (a database error echoes values): it is made storable first. */
  async markFailed(eventId: string, error: string): Promise<void> {
    await this.ledger.finish(eventId, 'failed', storableReason(error));
  }

  /** A media part that cannot be fetched is recorded, not fatal: the message still lands. */
  private async downloadMedia(channel: Channel, parsed: ParsedWebhook): Promise<Map<string, StoredMedia>> {
    const stored = new Map<string, StoredMedia>();
    const creds = this.channels.credentialsOf(channel);
    for (const ref of parsed.messages.flatMap((m) => m.media ?? [])) {
      try {
        stored.set(MediaService.refKey(ref), await this.media.fetch(channel.workspaceId, channel.type, creds, ref));
      } catch (e) {
        this.logger.warn(`media ${MediaService.refKey(ref)} of channel ${channel.id} not downloaded: ${(e as Error).message}`);
      }
    }
    return stored;
  }
}

function summarize(parsed: ParsedWebhook, media: Map<string, StoredMedia>) {
  const { messages, statuses, reactions, edits, consents } = parsed;
  return {
    counts: { messages: messages.length, statuses: statuses.length, reactions: reactions.length, edits: edits.length, consents: consents.length, media: media.size },
    parsed: { messages: messages.map(({ raw: _raw, ...m }) => m), statuses, reactions, edits, consents },
    media: Object.fromEntries(media),
  };
}
