import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { Action, assertCan, can, permittedWhere, type RequestCtx } from '../../common/authz';
import { decodeIdCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { flattenValidationErrors, NotFoundError } from '../../common/errors';
import { AppConfig } from '../../config';
import { SecretBox } from '../../infrastructure/crypto';
import { NO_TENANT_FILTER } from '../../infrastructure/database';
import { adapterFor, ChannelCredentials, ChannelType, ProviderError } from './adapters';
import { ChannelSecrets, toCredentials } from './channel-credentials';
import { ChannelView, toChannelSummary, toChannelView } from './channel.view';
import { invalidConfig, providerRejected } from './channels.errors';
import { CONFIG_DTOS, SECRET_FIELDS } from './dto/channel-config.dto';
import { ConnectChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { Channel } from './entities/channel.entity';
import { WebhookChannelCache } from './webhook-channel.cache';

const secret = (bytes = 24) => randomBytes(bytes).toString('base64url');

/** Webhook credentials we generate per channel (never typed by a person). */
function generatedSecrets(type: ChannelType): ChannelSecrets {
  if (type === 'email') return { basicUser: `pm_${secret(6)}`, basicPassword: secret(24) };
  if (type === 'whatsapp') return { verifyToken: secret(24) };
  return { webhookSecret: secret(32) };
}

@Injectable()
export class ChannelsService {
  private readonly logger = new Logger(ChannelsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
    private readonly webhookCache: WebhookChannelCache,
  ) {}

  async connect(ctx: RequestCtx, dto: ConnectChannelDto): Promise<ChannelView> {
    const config = await this.validateConfig(dto.type, dto.config);
    const { publicConfig, secrets } = this.split(dto.type, config);
    if (dto.type === 'email') publicConfig.messageStream ??= 'outbound';
    if (dto.type === 'whatsapp') publicConfig.messagesPerSecond ??= 80;
    const allSecrets = { ...secrets, ...generatedSecrets(dto.type) };
    const channel = this.em.create(Channel, {
      workspaceId: ctx.workspaceId,
      type: dto.type,
      name: dto.name,
      config: publicConfig,
      secrets: this.box.encryptJson(allSecrets),
    });
    Object.assign(channel.config, await this.register(channel, allSecrets));
    await this.em.persistAndFlush(channel);
    return this.view(channel, allSecrets);
  }

  async list(ctx: RequestCtx, q: PageQuery): Promise<Page<ChannelView>> {
    const after = decodeIdCursor(q.cursor);
    const channels = await this.em.find(
      Channel,
      { workspaceId: ctx.workspaceId, ...permittedWhere(ctx, 'read', 'Channel'), ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: q.limit + 1 },
    );
    return toPage(channels, q.limit, (c) => ({ id: c.id }), (c) => this.readerView(ctx, c));
  }

  async get(ctx: RequestCtx, id: string): Promise<ChannelView> {
    return this.readerView(ctx, await this.load(ctx, id, 'read'));
  }

  /**
   * Agents and viewers see which channels exist to send on; `config` and `webhook` (credentials
   * embedded) are for those who may change the channel, so the secrets are not even decrypted for others.
   */
  private readerView(ctx: RequestCtx, channel: Channel): ChannelView {
    return can(ctx, 'update', 'Channel', channel) ? this.view(channel, this.secretsOf(channel)) : toChannelSummary(channel);
  }

  /** Rename and/or rotate credentials; a new Telegram token re-registers the webhook. */
  async update(ctx: RequestCtx, id: string, dto: UpdateChannelDto): Promise<ChannelView> {
    const channel = await this.load(ctx, id, 'update');
    let secrets = this.secretsOf(channel);
    if (dto.name) channel.name = dto.name;
    if (dto.config) {
      const changes = await this.validateConfig(channel.type, dto.config, true);
      const split = this.split(channel.type, changes);
      secrets = { ...secrets, ...split.secrets };
      channel.config = { ...channel.config, ...split.publicConfig };
      if (channel.type === 'telegram' && dto.config.botToken) Object.assign(channel.config, await this.register(channel, secrets));
      channel.secrets = this.box.encryptJson(secrets);
    }
    await this.em.flush();
    this.webhookCache.evict(channel.id);
    return this.view(channel, secrets);
  }

  async disconnect(ctx: RequestCtx, id: string): Promise<void> {
    await this.deactivate(await this.load(ctx, id, 'delete'));
    await this.em.flush();
  }

  /** Disconnects every channel of a closing workspace. */
  async disconnectAll(workspaceId: string): Promise<void> {
    const channels = await this.em.find(Channel, { workspaceId, status: 'active' }, NO_TENANT_FILTER);
    for (const channel of channels) await this.deactivate(channel);
    await this.em.flush();
  }

  /** For webhooks: the channel by id across tenants, only when active. */
  async findActive(channelId: string): Promise<Channel | null> {
    return this.em.findOne(Channel, { id: channelId, status: 'active' }, NO_TENANT_FILTER);
  }

  secretsOf(channel: Channel): ChannelSecrets {
    return this.box.decryptJson<ChannelSecrets>(channel.secrets);
  }

  credentialsOf(channel: Channel): ChannelCredentials {
    return toCredentials(channel, this.secretsOf(channel), this.config.env);
  }

  /**
   * The workspace's channel (404 otherwise). With `action`, also the record-level check; callers
   * acting on something inside a channel (its templates, ledger, sends) check that record instead.
   */
  async load(ctx: RequestCtx, id: string, action?: Action): Promise<Channel> {
    const channel = await this.em.findOne(Channel, { id, workspaceId: ctx.workspaceId });
    if (!channel) throw new NotFoundError('Channel');
    if (action) assertCan(ctx, action, 'Channel', channel);
    return channel;
  }

  private async deactivate(channel: Channel) {
    if (channel.status !== 'active') return;
    try {
      await adapterFor(channel.type).unregisterWebhook(this.credentialsOf(channel));
    } catch (e) {
      // The channel is disconnected on our side regardless; the provider may keep a stale webhook.
      this.logger.warn(`could not unregister the ${channel.type} webhook of channel ${channel.id}: ${(e as Error).message}`);
    }
    channel.status = 'disconnected';
    channel.disconnectedAt = new Date();
    this.webhookCache.evict(channel.id);
  }

  private async register(channel: Channel, secrets: ChannelSecrets): Promise<Record<string, string>> {
    const url = `${this.config.env.PUBLIC_URL.replace(/\/+$/, '')}/v1/webhooks/${channel.type === 'email' ? 'postmark' : channel.type}/${channel.id}`;
    try {
      return await adapterFor(channel.type).registerWebhook(toCredentials(channel, secrets, this.config.env), url);
    } catch (e) {
      if (e instanceof ProviderError && !e.classification.retryable) throw providerRejected(e);
      throw e;
    }
  }

  /** `partial` validates only the fields present (PATCH). */
  private async validateConfig(type: ChannelType, config: Record<string, unknown>, partial = false) {
    const dto = plainToInstance(CONFIG_DTOS[type] as new () => object, config);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, skipMissingProperties: partial });
    if (errors.length) {
      throw invalidConfig(flattenValidationErrors(errors).map((e) => ({ ...e, field: `config.${e.field}` })));
    }
    return dto as Record<string, unknown>;
  }

  private split(type: ChannelType, config: Record<string, unknown>) {
    const secretFields = SECRET_FIELDS[type] as readonly string[];
    const publicConfig: Record<string, string | number> = {};
    const secrets: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
      if (v === undefined) continue;
      if (secretFields.includes(k)) secrets[k] = String(v);
      else publicConfig[k] = v as string | number;
    }
    return { publicConfig, secrets: secrets as ChannelSecrets };
  }

  private view(channel: Channel, secrets: ChannelSecrets) {
    return toChannelView(channel, secrets, this.config.env.PUBLIC_URL);
  }
}
