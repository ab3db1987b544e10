import type { EnvSchema } from '../../config';
import type { ChannelCredentials, ChannelType } from './adapters';

/** Secrets of a channel, decrypted only where a provider call or a signature check needs them. */
export interface ChannelSecrets {
  serverToken?: string;
  basicUser?: string;
  basicPassword?: string;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
  botToken?: string;
  webhookSecret?: string;
}

export function apiUrlFor(type: ChannelType, env: EnvSchema): string {
  const urls: Record<ChannelType, string> = { email: env.POSTMARK_API_URL, whatsapp: env.WHATSAPP_API_URL, telegram: env.TELEGRAM_API_URL };
  return urls[type].replace(/\/+$/, '');
}

export function toCredentials(
  channel: { id: string; type: ChannelType; config: Record<string, string | number> },
  secrets: ChannelSecrets,
  env: EnvSchema,
): ChannelCredentials {
  const c = channel.config;
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return {
    channelId: channel.id,
    apiUrl: apiUrlFor(channel.type, env),
    fromAddress: str(c.fromAddress),
    inboundAddress: str(c.inboundAddress),
    messageStream: str(c.messageStream),
    phoneNumberId: str(c.phoneNumberId),
    businessAccountId: str(c.businessAccountId),
    ...secrets,
  };
}
