import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { enqueueSafely, JOBS, JobPayloads, QUEUES } from '../../common/queues';
import { isUuid } from '../../common/authz';
import { AppConfig } from '../../config';
import { describeDatabaseError, isDatabaseUnavailable } from '../../infrastructure/database';
import { webhookIngestOutcomes } from '../../infrastructure/metrics/metrics';
import { adapterFor, ChannelType, WebhookKind } from './adapters';
import { ChannelsService } from './channels.service';
import { InvalidSignatureError, WebhookStorageUnavailableError } from './channels.errors';
import { LedgerRepository } from './ledger/ledger.repository';
import { parseProviderJson } from './ledger/provider-json';
import { CachedChannel, WebhookChannelCache } from './webhook-channel.cache';

export interface IncomingWebhook {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export interface IngestResult {
  eventId: string | null;
  duplicate: boolean;
  status: 'pending' | 'ignored' | 'duplicate';
}

/** Retries double from WEBHOOK_RETRY_BASE_MS; after WEBHOOK_MAX_ATTEMPTS the row is `failed`. */
export const webhookJobOptions = (env: Pick<AppConfig['env'], 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_MAX_ATTEMPTS'>): JobOptions => ({
  attempts: env.WEBHOOK_MAX_ATTEMPTS,
  backoff: { type: 'exponential', delay: env.WEBHOOK_RETRY_BASE_MS },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});

/** Verify → store raw (with dedupe keys) → answer → enqueue. Nothing is parsed into messages here. */
@Injectable()
export class WebhookIngestService {
  private readonly logger = new Logger(WebhookIngestService.name);

  constructor(
    private readonly channels: ChannelsService,
    private readonly ledger: LedgerRepository,
    private readonly cache: WebhookChannelCache,
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async ingest(type: ChannelType, channelId: string, kind: WebhookKind, req: IncomingWebhook): Promise<IngestResult> {
    try {
      const result = await this.ingestVerified(type, channelId, kind, req);
      webhookIngestOutcomes.inc({ provider: type, outcome: result.status === 'pending' ? 'stored' : result.status });
      return result;
    } catch (e) {
      webhookIngestOutcomes.inc({ provider: type, outcome: e instanceof InvalidSignatureError ? 'invalid_signature' : 'unavailable' });
      throw e;
    }
  }

  private async ingestVerified(type: ChannelType, channelId: string, kind: WebhookKind, req: IncomingWebhook): Promise<IngestResult> {
    const channel = isUuid(channelId) ? await this.lookup(channelId) : null;
    const adapter = adapterFor(type);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
    // An unknown channel fails exactly like a bad signature, so ids cannot be probed.
    if (!channel || channel.type !== type || !adapter.verify({ headers, rawBody: req.rawBody, kind }, channel.credentials)) {
      throw new InvalidSignatureError();
    }

    const rawBody = req.rawBody.toString('utf8');
    let payload: unknown;
    let reason: string | undefined;
    try {
      payload = parseProviderJson(rawBody);
    } catch (e) {
      reason = `malformed JSON: ${(e as Error).message}`;
    }
    const dedupeKeys = reason ? [] : adapter.dedupeKeys(payload, kind);
    if (!reason && dedupeKeys.length === 0) reason = 'unrecognized payload shape';

    let stored;
    try {
      stored = await this.ledger.insert({ workspaceId: channel.workspaceId, channelId, kind, dedupeKeys, rawBody, status: reason ? 'ignored' : 'pending', reason });
    } catch (e) {
      // Whatever stopped the INSERT, the event is not stored: the provider must send it again.
      const line = `ledger insert failed: ${describeDatabaseError(e) ?? (e as Error).message}`;
      // An outage is answered 503 and retried by the provider (a warning); anything else is a bug.
      if (isDatabaseUnavailable(e)) this.logger.warn(line);
      else this.logger.error(line);
      throw new WebhookStorageUnavailableError();
    }
    if (!stored) return { eventId: null, duplicate: true, status: 'duplicate' };
    if (!reason) await this.enqueue(channel.workspaceId, stored.id, stored.receivedAt);
    return { eventId: stored.id, duplicate: false, status: reason ? 'ignored' : 'pending' };
  }

  /** A dead database here answers 503 through the exception filter, like anywhere else. */
  private lookup(channelId: string): Promise<CachedChannel | null> {
    return this.cache.get(channelId, () => this.loadChannel(channelId));
  }

  private async loadChannel(channelId: string): Promise<CachedChannel | null> {
    const channel = await this.channels.findActive(channelId);
    return channel && { id: channel.id, workspaceId: channel.workspaceId, type: channel.type, credentials: this.channels.credentialsOf(channel) };
  }

  /** The job id is the event id, so a sweeper re-enqueue of a live job is a no-op. */
  enqueue(workspaceId: string, eventId: string, receivedAt: Date, jobId = eventId): Promise<boolean> {
    const data: JobPayloads['webhook.process'] = { workspaceId, eventId, receivedAt: receivedAt.toISOString() };
    return enqueueSafely(this.queue, JOBS.webhooks.process, data, { ...webhookJobOptions(this.config.env), jobId });
  }
}
