import { LockMode, RequestContext } from '@mikro-orm/core';
import { UsageMeter } from '../../../common/usage';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DomainEventsSubscriber } from '../../../common/events';
import { JobPayloads } from '../../../common/queues';
import { Pace, SendPacer } from '../../../common/rate-limit';
import { AppConfig } from '../../../config';
import { TENANT_FILTER } from '../../../infrastructure/database';
import { InjectRedis } from '../../../infrastructure/redis/redis.module';
import { FileStorage, InjectFileStorage } from '../../../infrastructure/storage';
import type { Actor } from '../../../common/authz';
import { adapterFor, ChannelsService, OutboundPayload, ProviderError, ProviderErrorClass, TemplatesService } from '../../channels';
import { ComplianceService, retryPath } from '../../compliance';
import { ContactConsentsService } from '../../identity';
import { Attachment } from '../entities/attachment.entity';
import { Conversation } from '../entities/conversation.entity';
import { MessageAttempt } from '../entities/message-attempt.entity';
import { Message } from '../entities/message.entity';
import { applyStatus, retryDelayMs } from './delivery-rules';
import { RetryLater } from './outbound-jobs';
import { SendFacts, sendFacts } from './send-facts';
import { WhatsappWindowCloser, WINDOW_CLOSED_CODE } from './whatsapp-window-closer';
import { outboundOutcomes } from '../../../infrastructure/metrics/metrics';

type SendChannel = NonNullable<Awaited<ReturnType<ChannelsService['findActive']>>>;

export type DeliveryOutcome = 'sent' | 'failed' | 'retry' | 'skipped';

/** Extends the message lock only while it is still this run's. */
const RENEW_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
/** Releases the message lock only while it is still this run's. */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
/** Short pacing waits are slept; longer ones go back to Bull as a delay instead of holding a worker. */
const MAX_INLINE_WAIT_MS = 250;
/** Telegram: the user blocked the bot or never started it. */
const TELEGRAM_BLOCKED_CODE = '403';

/** Who refused a send that the worker checked again before the provider call. */
const WORKER_ACTOR: Actor = { type: 'system', id: 'outbound_worker' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pacing slot already reserved by an earlier run of the job (set when it was deferred). */
export class PacedRetry extends RetryLater {
  constructor(
    delayMs: number,
    readonly slotAt: number,
  ) {
    super(delayMs, `paced for ${delayMs} ms`);
  }
}

/** `support@x` + token → `support+token@x`, the address whose MailboxHash routes replies to the conversation. */
export function plusAddress(address: string | undefined, token: string): string | undefined {
  const at = address?.lastIndexOf('@') ?? -1;
  if (!address || at <= 0) return undefined;
  const local = address.slice(0, at).split('+')[0];
  return `${local}+${token}${address.slice(at)}`;
}

/**
 * Worker side of outbound: one provider call per run of the job, recorded as an attempt that is
 * committed as `started` before the call. Transient errors come back to Bull with the computed
 * delay; permanent ones and the last allowed attempt end the message as `failed`.
 */
@Injectable()
export class OutboundDeliveryService {
  private readonly logger = new Logger(OutboundDeliveryService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly channels: ChannelsService,
    private readonly templates: TemplatesService,
    private readonly compliance: ComplianceService,
    private readonly consents: ContactConsentsService,
    private readonly pacer: SendPacer,
    private readonly events: DomainEventsSubscriber,
    private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
    @InjectFileStorage() private readonly storage: FileStorage,
    private readonly windows: WhatsappWindowCloser,
    private readonly usage: UsageMeter,
  ) {}

  async deliver(job: JobPayloads['outbound.send'] & { slotAt?: number }): Promise<DeliveryOutcome> {
    // Two runs for one message (a sweeper re-add racing a late enqueue) must not both call the provider.
    // Like Bull's job lock, it lasts OUTBOUND_LOCK_MS and is renewed while this worker lives, so a
    // killed worker's lock has run out by the time the stalled job runs again (or soon after).
    const lock = `lock:outbound:${job.messageId}`;
    const token = randomUUID();
    const lockMs = this.config.env.OUTBOUND_LOCK_MS;
    if ((await this.redis.set(lock, token, 'PX', lockMs, 'NX')) !== 'OK') throw new RetryLater(1000, `message ${job.messageId} is being sent by another worker`);
    const renew = setInterval(() => void this.redis.eval(RENEW_LOCK, 1, lock, token, lockMs).catch(() => undefined), Math.floor(lockMs / 2));
    renew.unref();
    try {
      // Its own entity-manager context, which channels' and identity's calls share.
      return await RequestContext.create(this.em, () => this.deliverLocked(job));
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE_LOCK, 1, lock, token).catch(() => undefined);
    }
  }

  private async deliverLocked(job: JobPayloads['outbound.send'] & { slotAt?: number }): Promise<DeliveryOutcome> {
    const em = this.em.fork();
    em.setFilterParams(TENANT_FILTER, { workspaceId: job.workspaceId });
    // The context's entity manager, which the policy's lookups in other modules use.
    this.em.setFilterParams(TENANT_FILTER, { workspaceId: job.workspaceId });
    const message = await em.findOne(Message, { id: job.messageId, workspaceId: job.workspaceId });
    if (!message || message.direction !== 'outbound' || message.status !== 'queued' || !message.channelId) return 'skipped';
    const channel = await this.channels.findActive(message.channelId);
    if (!channel || channel.workspaceId !== job.workspaceId) {
      await this.fail(em, message, null, { retryable: false, code: 'channel_inactive', message: 'The channel was disconnected before the message could be sent.' });
      return 'failed';
    }
    await this.pace(channel, message, job.slotAt);
    const template = message.template ?? null;
    const { facts, templateComponents } = await sendFacts(em, this.templates, { workspaceId: message.workspaceId, conversationId: message.conversationId, channel, template });
    const refusal = await this.policyRefusal(message, channel, facts);
    if (refusal) {
      await this.fail(em, message, channel, refusal);
      return 'failed';
    }

    const attempt = await this.startAttempt(em, message);
    let providerMessageId: string;
    try {
      const payload = await this.payloadOf(em, message, channel, templateComponents);
      ({ providerMessageId } = await adapterFor(channel.type).send(this.channels.credentialsOf(channel), payload));
    } catch (e) {
      const error: ProviderErrorClass =
        e instanceof ProviderError ? e.classification : { retryable: true, code: 'internal_error', message: (e as Error).message ?? 'unknown error' };
      return this.afterError(em, message, channel, attempt, error);
    }
    await this.markSent(em, message, attempt, providerMessageId);
    this.usage.record(message.workspaceId, 'messages_out', 1, channel.type);
    outboundOutcomes.inc({ provider: channel.type, outcome: 'sent', error_class: 'none' });
    return 'sent';
  }

  /**
   * The send policy once more, right before the provider call: backoff and pacing can hold a message
   * for minutes, in which the contact may opt out or be restricted, or the WhatsApp window close.
   */
  private async policyRefusal(message: Message, channel: SendChannel, facts: SendFacts): Promise<ProviderErrorClass | null> {
    const decision = await this.compliance.checkSend({
      workspaceId: message.workspaceId,
      contactId: message.contactId,
      channelId: channel.id,
      channelType: channel.type,
      path: retryPath(message.sendPath),
      messageId: message.id,
      actor: WORKER_ACTOR,
      template: message.template ?? null,
      ...facts,
    });
    return decision.allowed ? null : { retryable: false, code: decision.code, message: decision.detail };
  }

  /** WhatsApp: per phone number at its throughput; Telegram: 30/s per bot and 1/s per chat; Postmark: none. */
  private async pace(channel: SendChannel, message: Message, slotAt: number | undefined): Promise<void> {
    if (slotAt && Date.now() >= slotAt - MAX_INLINE_WAIT_MS) {
      await sleep(Math.max(0, slotAt - Date.now()));
      return;
    }
    const paces: Pace[] = [];
    if (channel.type === 'whatsapp') paces.push({ key: `wa:${channel.config.phoneNumberId}`, perSecond: Number(channel.config.messagesPerSecond) || 80 });
    if (channel.type === 'telegram') {
      const bot = String(channel.config.botId || channel.id);
      paces.push({ key: `tg:${bot}`, perSecond: 30 }, { key: `tg:${bot}:${message.recipient}`, perSecond: 1 });
    }
    if (!paces.length) return;
    const wait = await this.pacer.reserve(paces);
    if (wait > MAX_INLINE_WAIT_MS) throw new PacedRetry(wait, Date.now() + wait);
    if (wait > 0) await sleep(wait);
  }

  /** Committed before the provider call; an earlier attempt still `started` was cut short by a crash. */
  private async startAttempt(em: EntityManager, message: Message): Promise<MessageAttempt> {
    const now = new Date();
    const interrupted = await em.find(MessageAttempt, { workspaceId: message.workspaceId, messageId: message.id, outcome: 'started' });
    for (const a of interrupted) Object.assign(a, { outcome: 'retry', finishedAt: now, errorCode: 'interrupted', errorMessage: 'the worker stopped during the provider call' });
    const attempt = em.create(MessageAttempt, { workspaceId: message.workspaceId, messageId: message.id, startedAt: now, outcome: 'started' });
    await em.flush();
    return attempt;
  }

  private async payloadOf(em: EntityManager, message: Message, channel: SendChannel, templateComponents: unknown[] | null): Promise<OutboundPayload> {
    const files = await em.find(Attachment, { workspaceId: message.workspaceId, messageId: message.id }, { orderBy: { id: 'asc' } });
    const attachments = [];
    for (const f of files) attachments.push({ filename: f.filename, contentType: f.contentType, data: (await this.storage.get(f.storageKey)).data });
    const quoted = message.replyToMessageId ? await em.findOne(Message, { id: message.replyToMessageId, workspaceId: message.workspaceId }) : null;
    const conversation = channel.type === 'email' ? await em.findOne(Conversation, { id: message.conversationId, workspaceId: message.workspaceId }) : null;
    const creds = this.channels.credentialsOf(channel);
    return {
      messageId: message.id,
      to: message.recipient ?? '',
      ...(message.text ? { text: message.text } : {}),
      ...(message.subject ? { subject: message.subject } : {}),
      ...(message.email?.htmlBody ? { htmlBody: message.email.htmlBody } : {}),
      // The components say which template button each parameter fills and what kind of header it is.
      ...(message.template ? { template: { ...message.template, ...(templateComponents ? { components: templateComponents } : {}) } } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(quoted?.providerMessageId ? { replyToProviderMessageId: quoted.providerMessageId } : {}),
      ...(channel.type === 'email'
        ? {
            email: {
              inReplyTo: message.email?.inReplyTo,
              references: message.email?.references,
              replyTo: conversation ? plusAddress(creds.inboundAddress, conversation.emailThreadToken) : undefined,
            },
          }
        : {}),
    };
  }

  private async markSent(em: EntityManager, message: Message, attempt: MessageAttempt, providerMessageId: string): Promise<void> {
    await em.transactional(async (tx) => {
      const now = new Date();
      // A status webhook may have overtaken us (it finds the message by our id): never move back.
      const locked = await tx.findOneOrFail(Message, { id: message.id, workspaceId: message.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const next = applyStatus(locked, { status: 'sent', at: now });
      const changed = !!next && next.status !== locked.status;
      if (next) Object.assign(locked, next);
      Object.assign(locked, { providerMessageId, sentAt: now, error: null });
      Object.assign(tx.merge(attempt), { outcome: 'sent', finishedAt: now });
      if (changed) this.events.emitAfterCommit(tx, 'message.status_changed', { workspaceId: locked.workspaceId, messageId: locked.id, status: 'sent' });
      this.events.emitAfterCommit(tx, 'message.sent', { workspaceId: locked.workspaceId, messageId: locked.id, conversationId: locked.conversationId });
    });
  }

  private async afterError(em: EntityManager, message: Message, channel: SendChannel, attempt: MessageAttempt, error: ProviderErrorClass): Promise<DeliveryOutcome> {
    const now = new Date();
    // Since the latest manual retry (attemptBase), so a retry gets the whole budget again.
    const made = (await em.count(MessageAttempt, { workspaceId: message.workspaceId, messageId: message.id })) - message.attemptBase;
    const last = made >= this.config.env.OUTBOUND_MAX_ATTEMPTS;
    Object.assign(attempt, { outcome: error.retryable && !last ? 'retry' : 'failed', finishedAt: now, errorCode: error.code, errorMessage: error.message.slice(0, 1000) });
    outboundOutcomes.inc({ provider: channel.type, outcome: attempt.outcome, error_class: error.code });
    if (error.retryable && !last) {
      await em.flush();
      const delay = retryDelayMs(made, this.config.env.OUTBOUND_RETRY_BASE_MS, error.retryAfterSeconds);
      this.logger.warn(`message ${message.id} attempt ${made} failed (${error.code}); retrying in ${delay} ms`);
      throw new RetryLater(delay, `${error.code}: ${error.message}`);
    }
    await this.fail(em, message, channel, error);
    return 'failed';
  }

  /** Ends the message as failed with the provider's code, and applies what that code tells us. */
  private async fail(em: EntityManager, message: Message, channel: SendChannel | null, error: ProviderErrorClass): Promise<void> {
    const failed = await em.transactional(async (tx) => {
      const now = new Date();
      const locked = await tx.findOneOrFail(Message, { id: message.id, workspaceId: message.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const next = applyStatus(locked, { status: 'failed', at: now });
      if (!next) return false;
      Object.assign(locked, next, { error: { code: error.code, message: error.message, retryable: error.retryable } });
      if (channel?.type === 'whatsapp' && error.code === WINDOW_CLOSED_CODE) {
        await this.windows.close(tx, { workspaceId: locked.workspaceId, conversationId: locked.conversationId, channelId: channel.id, messageId: locked.id });
      }
      this.events.emitAfterCommit(tx, 'message.status_changed', { workspaceId: locked.workspaceId, messageId: locked.id, status: 'failed' });
      return true;
    });
    await em.flush();
    if (failed) this.usage.record(message.workspaceId, 'delivery_failures', 1, channel?.type);
    if (channel?.type === 'telegram' && error.code === TELEGRAM_BLOCKED_CODE && message.recipient) {
      await this.consents.markUndeliverable(message.workspaceId, 'telegram', message.recipient);
    }
  }
}
