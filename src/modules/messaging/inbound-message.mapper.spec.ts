import { parseWhatsAppWebhook } from '../channels/adapters/whatsapp/whatsapp-webhook.parser';
import { parseTelegramUpdate } from '../channels/adapters/telegram/telegram-update.parser';
import { parsePostmarkInbound } from '../channels/adapters/postmark/postmark-inbound.parser';
import { waContacts, waImage, waInbound, waLocation, waUnsupported } from '../channels/adapters/whatsapp/fixtures';
import { tgContactUpdate, tgMessage, tgUpdate } from '../channels/adapters/telegram/fixtures';
import { POSTMARK_FIXTURE, postmarkInbound } from '../channels/adapters/postmark/fixtures';
import type { StoredMedia } from '../channels';
import { inboundContent, mediaRefKey, ownContactCard, quotedProviderIds } from './inbound-message.mapper';

const stored = (key: string, filename = 'file'): StoredMedia => ({ key, filename, contentType: 'application/octet-stream', size: 3, sha256: 'abc' });

describe('inboundContent', () => {
  it('keeps a WhatsApp image caption as text and links the downloaded file', () => {
    const [m] = parseWhatsAppWebhook(waInbound(waImage())).messages;
    const content = inboundContent(m, new Map([['1003383421387256', stored('w/media/1', 'image.jpg')]]));
    expect(content).toMatchObject({ type: 'image', text: 'Damaged box', email: null, payload: null });
    expect(content.attachments).toEqual([stored('w/media/1', 'image.jpg')]);
  });

  it('records media the provider did not hand over instead of dropping the message', () => {
    const [m] = parseWhatsAppWebhook(waInbound(waImage())).messages;
    const content = inboundContent(m, new Map());
    expect(content.attachments).toEqual([]);
    expect(content.payload).toEqual({ mediaUnavailable: [{ contentType: 'image/jpeg' }] });
  });

  it('stores location, contact cards and the raw part of unsupported messages in the payload', () => {
    const [loc] = parseWhatsAppWebhook(waInbound(waLocation())).messages;
    expect(inboundContent(loc, new Map()).payload).toEqual({ location: { latitude: 52.520008, longitude: 13.404954, name: 'Alexanderplatz', address: '10178 Berlin' } });
    const [card] = parseWhatsAppWebhook(waInbound(waContacts())).messages;
    expect(inboundContent(card, new Map()).payload).toEqual({ contacts: [{ name: 'Anna Schmidt', phone: '+49 151 98765432', waId: '4915198765432' }] });
    const [odd] = parseWhatsAppWebhook(waInbound(waUnsupported())).messages;
    expect(inboundContent(odd, new Map())).toMatchObject({ type: 'unsupported', payload: { raw: expect.objectContaining({ type: 'unsupported' }) } });
  });

  it('keeps email headers and files by content id or name', () => {
    const [m] = parsePostmarkInbound(postmarkInbound()).messages;
    const media = new Map([['invoice-1042.pdf', stored('w/media/pdf', 'invoice-1042.pdf')], ['logo@acme', stored('w/media/png', 'logo.png')]]);
    const content = inboundContent(m, media);
    expect(content).toMatchObject({ type: 'email', text: 'Thanks, the invoice is attached.', subject: 'Re: Your order #1042' });
    expect(content.email).toEqual({
      textBody: expect.stringContaining('Thanks'),
      htmlBody: expect.stringContaining('<p>'),
      messageId: 'CAFx8kZ1=Q2@mail.customer.example',
      inReplyTo: `${POSTMARK_FIXTURE.outboundMessageId}@mtasv.net`,
      references: ['root-1@acme.example', `${POSTMARK_FIXTURE.outboundMessageId}@mtasv.net`],
    });
    expect(content.attachments.map((a) => a.key)).toEqual(['w/media/pdf', 'w/media/png']);
  });
});

describe('mediaRefKey', () => {
  it('prefers the provider file id, then the content id, then the name', () => {
    expect(mediaRefKey({ providerFileId: 'f', contentId: 'c', filename: 'n' })).toBe('f');
    expect(mediaRefKey({ contentId: 'c', filename: 'n' })).toBe('c');
    expect(mediaRefKey({ filename: 'n' })).toBe('n');
  });
});

describe('ownContactCard', () => {
  it('accepts a Telegram card the sender shared about themselves only', () => {
    const [own] = parseTelegramUpdate(tgContactUpdate()).messages;
    expect(ownContactCard(own)).toEqual({ userId: '912345678', phone: '+4915112345678' });
    const someoneElse = tgUpdate('message', tgMessage(47, { contact: { phone_number: '+4915100000000', first_name: 'Max', user_id: 111 } }));
    expect(ownContactCard(parseTelegramUpdate(someoneElse).messages[0])).toBeUndefined();
    const [waCard] = parseWhatsAppWebhook(waInbound(waContacts())).messages;
    expect(ownContactCard(waCard)).toBeUndefined();
  });
});

describe('quotedProviderIds', () => {
  it('also looks up our Postmark id behind an mtasv.net Message-ID', () => {
    const [m] = parsePostmarkInbound(postmarkInbound()).messages;
    expect(quotedProviderIds(m)).toEqual([`${POSTMARK_FIXTURE.outboundMessageId}@mtasv.net`, POSTMARK_FIXTURE.outboundMessageId]);
  });
});
