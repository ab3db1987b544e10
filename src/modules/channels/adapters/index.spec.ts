import { ADAPTER_CLASSES, ADAPTERS, PostmarkAdapter, TelegramAdapter, WhatsAppAdapter, adapterFor, CHANNEL_TYPES } from './index';

describe('adapter registry', () => {
  it('has one adapter per channel type, keyed by its own type', () => {
    for (const type of CHANNEL_TYPES) expect(adapterFor(type).type).toBe(type);
    expect(adapterFor('email')).toBeInstanceOf(PostmarkAdapter);
    expect(adapterFor('whatsapp')).toBeInstanceOf(WhatsAppAdapter);
    expect(adapterFor('telegram')).toBeInstanceOf(TelegramAdapter);
    expect(adapterFor('email')).toBe(ADAPTERS.email);
    expect(ADAPTER_CLASSES).toEqual([PostmarkAdapter, WhatsAppAdapter, TelegramAdapter]);
  });

  it('throws for an unknown type', () => {
    expect(() => adapterFor('sms')).toThrow(/no channel adapter/);
  });
});
