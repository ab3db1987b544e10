import { maskSecret } from '../../infrastructure/crypto';
import type { ChannelSecrets } from './channel-credentials';
import { SECRET_FIELDS } from './dto/channel-config.dto';
import { Channel } from './entities/channel.entity';

export interface ChannelView {
  id: string;
  type: string;
  name: string;
  status: string;
  /** Only for callers who may update the channel. */
  config?: Record<string, unknown>;
  webhook?: Record<string, string>;
  createdAt: Date;
  disconnectedAt: Date | null;
}

function withBasicAuth(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

/** The URLs (and handshake values) a person pastes into the provider's settings. */
export function webhookInfo(channel: Channel, secrets: ChannelSecrets, publicUrl: string): Record<string, string> {
  const base = `${publicUrl.replace(/\/+$/, '')}/v1/webhooks`;
  switch (channel.type) {
    case 'email':
      return {
        inboundUrl: withBasicAuth(`${base}/postmark/${channel.id}/inbound`, secrets.basicUser!, secrets.basicPassword!),
        eventsUrl: withBasicAuth(`${base}/postmark/${channel.id}/events`, secrets.basicUser!, secrets.basicPassword!),
      };
    case 'whatsapp':
      return { url: `${base}/whatsapp/${channel.id}`, verifyToken: secrets.verifyToken! };
    case 'telegram':
      return { url: `${base}/telegram/${channel.id}` };
  }
}

/** Secrets never come back: provider secrets are masked (`••••3f9a`), webhook secrets omitted. */
export function toChannelView(channel: Channel, secrets: ChannelSecrets, publicUrl: string): ChannelView {
  const masked = Object.fromEntries(
    SECRET_FIELDS[channel.type].map((field) => [field, maskSecret(secrets[field as keyof ChannelSecrets] ?? '')]),
  );
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    status: channel.status,
    config: { ...channel.config, ...masked },
    webhook: webhookInfo(channel, secrets, publicUrl),
    createdAt: channel.createdAt,
    disconnectedAt: channel.disconnectedAt ?? null,
  };
}

/** What a role that may read but not change a channel sees: enough to pick it for a send. */
export const toChannelSummary = (channel: Channel): ChannelView => ({
  id: channel.id,
  type: channel.type,
  name: channel.name,
  status: channel.status,
  createdAt: channel.createdAt,
  disconnectedAt: channel.disconnectedAt ?? null,
});
