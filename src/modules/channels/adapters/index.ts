import type { ChannelAdapter } from './channel-adapter';
import { CHANNEL_TYPES, type ChannelType } from './normalized';
import { PostmarkAdapter } from './postmark/postmark.adapter';
import { TelegramAdapter } from './telegram/telegram.adapter';
import { WhatsAppAdapter } from './whatsapp/whatsapp.adapter';

export type { ChannelAdapter } from './channel-adapter';
export * from './normalized';
export { PostmarkAdapter } from './postmark/postmark.adapter';
export { WhatsAppAdapter } from './whatsapp/whatsapp.adapter';
export { TelegramAdapter } from './telegram/telegram.adapter';

/** The adapter classes, e.g. for a Nest module's `providers`. */
export const ADAPTER_CLASSES = [PostmarkAdapter, WhatsAppAdapter, TelegramAdapter] as const;

/** Adapters are stateless, so one shared instance per channel type is enough. */
export const ADAPTERS: Readonly<Record<ChannelType, ChannelAdapter>> = Object.freeze({
  email: new PostmarkAdapter(),
  whatsapp: new WhatsAppAdapter(),
  telegram: new TelegramAdapter(),
});

export const isChannelType = (value: string): value is ChannelType =>
  (CHANNEL_TYPES as readonly string[]).includes(value);

/** The adapter for a channel type; throws for a type we have no adapter for. */
export function adapterFor(type: ChannelType | string): ChannelAdapter {
  if (!isChannelType(type)) throw new Error(`no channel adapter for type ${type}`);
  return ADAPTERS[type];
}
