import { randomInt, randomUUID } from 'node:crypto';
import { INBOUND_CONSUMERS } from '../../src/modules/channels/channels.tokens';
import type { InboundConsumerRegistry } from '../../src/modules/channels/inbound-consumer';
import { POSTMARK_FIXTURE, postmarkInbound } from '../../src/modules/channels/adapters/postmark/fixtures';
import { TELEGRAM_FIXTURE, tgCallbackQueryUpdate, tgDocumentUpdate, tgEditedUpdate, tgMessage, tgPhotoUpdate, tgTextUpdate, tgUpdate, tgVoiceUpdate } from '../../src/modules/channels/adapters/telegram/fixtures';
import {
  WHATSAPP_FIXTURE,
  waAudio,
  waButtonReply,
  waContact,
  waContacts,
  waDocument,
  waImage,
  waInbound,
  waListReply,
  waLocation,
  waReaction,
  waText,
  waUnsupported,
} from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { parseWhatsAppWebhook } from '../../src/modules/channels/adapters/whatsapp/whatsapp-webhook.parser';
import { CONVERSATIONS_MAINTENANCE } from '../../src/modules/messaging/messaging.tokens';
import type { ConversationsMaintenanceService } from '../../src/modules/messaging/conversations-maintenance.service';
import { SANDBOX_MEDIA } from '../../src/modules/sandbox/core/sandbox-tokens';
import type { SandboxMediaStore } from '../../src/modules/sandbox/core/sandbox-media.store';
import { connectEmail, connectTelegram, connectWhatsapp, postPostmark, postTelegram, postWhatsapp, waitForLedger } from '../utils/channels';
import { allMessages, contactWith, conversationOf, conversationsOf, processed, recordDomainEvents, sandboxInbound } from '../utils/conversations';
import { sql } from '../utils/db';
import { Account, memberWithRole, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

type Json = Record<string, unknown>;

const newWaId = () => `49151${randomInt(10_000_000, 99_999_999)}`;
const newWamid = (tag: string) => `wamid.${tag}${randomUUID().replace(/-/g, '')}`;
/** A WhatsApp fixture message from another customer than the fixtures' default one. */
const fromCustomer = (message: Json, waId: string, name = 'Jonas Keller') => waInbound({ ...message, from: waId }, [waContact(waId, name)]);
const kinds = (c: { identifiers: { kind: string; value: string }[] }) => c.identifiers.map((i) => `${i.kind}:${i.value}`).sort();
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('conversations and messages', () => {
  let t: TestApp;
  let owner: Account;
  let wa: Awaited<ReturnType<typeof connectWhatsapp>>;
  let tg: Awaited<ReturnType<typeof connectTelegram>>;
  let pm: Awaited<ReturnType<typeof connectEmail>>;
  const ws = (rest = '', account: Account = owner) => `/v1/workspaces/${account.workspaceId}${rest}`;

  /** Posts a signed WhatsApp notification and waits until it is processed. */
  const whatsapp = async (payload: Json) => processed(t, owner, wa.id, await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200));
  const telegram = async (update: Json) => processed(t, owner, tg.id, await postTelegram(t, tg.id, update, tg.secret).expect(200));
  const email = async (payload: Json) => processed(t, owner, pm.id, await postPostmark(t, pm.id, 'inbound', payload, pm.authorization).expect(200));
  const message = async (id: string, account: Account = owner) => (await t.http().get(ws(`/messages/${id}`, account)).set(account.auth).expect(200)).body;
  /** A customer writing on WhatsApp for the first time: their contact and conversation. */
  const newCustomer = async (text = 'Hello') => {
    const waId = newWaId();
    await sandboxInbound(t, owner, wa.id, { from: waId, text, name: 'Pat Doe' });
    const contact = await contactWith(t, owner, waId);
    return { waId, contact, conversation: await conversationOf(t, owner, contact.id) };
  };

  beforeAll(async () => {
    t = await startApp({ WEBHOOK_RETRY_BASE_MS: '50' });
    owner = await signup(t, 'messaging');
    wa = await connectWhatsapp(t, owner);
    tg = await connectTelegram(t, owner);
    pm = await connectEmail(t, owner);
  });
  afterAll(() => t.close());

  it('keeps one conversation per customer across WhatsApp, Telegram and email, and splits it again when the merge is undone', async () => {
    const waId = newWaId();
    const tgUser = randomInt(100_000_000, 999_999_999);
    const address = `mia-${randomUUID().slice(0, 8)}@customer.example`;

    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'Hi from WhatsApp', name: 'Mia Lehmann' });
    const w = await contactWith(t, owner, waId);
    const waConversation = await conversationOf(t, owner, w.id);
    expect(waConversation).toMatchObject({ contact: { id: w.id, name: 'Mia Lehmann' }, status: 'open', channels: [{ channelId: wa.id, type: 'whatsapp' }] });

    await sandboxInbound(t, owner, tg.id, { from: String(tgUser), text: 'Hi from Telegram', name: 'Mia L' });
    const tgContact = await contactWith(t, owner, String(tgUser));
    expect(tgContact.id).not.toBe(w.id);
    const tgConversation = await conversationOf(t, owner, tgContact.id);

    // The Telegram user shares their own contact card with the phone behind the WhatsApp id.
    const card = tgUpdate(
      'message',
      { message_id: 7, from: { id: tgUser, is_bot: false, first_name: 'Mia' }, chat: { id: tgUser, type: 'private', first_name: 'Mia' }, date: Math.floor(Date.now() / 1000), contact: { phone_number: `+${waId}`, first_name: 'Mia', user_id: tgUser } },
      randomInt(1, 2 ** 31),
    );
    await telegram(card);

    // The older contact survives; the other's conversation points at it.
    await t.http().get(ws(`/contacts/${tgContact.id}`)).set(owner.auth).expect(404).expect((r) => expect(r.body.mergedInto).toBe(w.id));
    const gone = await t.http().get(ws(`/conversations/${tgConversation.id}`)).set(owner.auth);
    expectProblem(gone, 404, 'not_found');
    expect(gone.body.mergedInto).toBe(waConversation.id);
    expect(await conversationsOf(t, owner, tgContact.id)).toEqual([]);
    const merged = await conversationOf(t, owner, w.id);
    expect(merged.id).toBe(waConversation.id);
    expect(merged.channels.map((c: { type: string }) => c.type).sort()).toEqual(['telegram', 'whatsapp']);
    expect((await allMessages(t, owner, merged.id)).map((m) => [m.channelId, m.type, m.text ?? null])).toEqual([
      [wa.id, 'text', 'Hi from WhatsApp'],
      [tg.id, 'text', 'Hi from Telegram'],
      [tg.id, 'contact', null],
    ]);

    // No provider proves an email address belongs to a phone, so an agent records it on the contact
    // before the customer writes; the email then resolves to that contact like any known sender.
    const added = await t.http().post(ws(`/contacts/${w.id}/identifiers`)).set(owner.auth).send({ kind: 'email', value: address }).expect(201);
    expect(added.body.identifiers).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'email', value: address, verified: false, source: 'api' })]));
    await sandboxInbound(t, owner, pm.id, { from: address, text: 'And by email', subject: 'Order 1042' });
    expect((await contactWith(t, owner, address)).id).toBe(w.id);
    const three = await conversationOf(t, owner, w.id);
    expect(three.id).toBe(waConversation.id);
    expect(three.channels.map((c: { type: string }) => c.type).sort()).toEqual(['email', 'telegram', 'whatsapp']);
    const together = await allMessages(t, owner, three.id);
    expect(together.map((m) => [m.channelId, m.type])).toEqual([
      [wa.id, 'text'],
      [tg.id, 'text'],
      [tg.id, 'contact'],
      [pm.id, 'email'],
    ]);
    expect(together.map((m) => m.contactId)).toEqual([w.id, w.id, w.id, w.id]);
    expect(together[3]).toMatchObject({ type: 'email', text: 'And by email', subject: 'Order 1042' });
    // The email channel proved the address once the customer wrote from it.
    expect((await contactWith(t, owner, address)).identifiers).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'email', verified: true })]));
    // While merged, the Telegram user's next message lands in the one conversation too.
    await sandboxInbound(t, owner, tg.id, { from: String(tgUser), text: 'Merged now?', name: 'Mia L' });
    expect((await allMessages(t, owner, three.id)).map((m) => [m.type, m.text ?? null, m.contactId]).at(-1)).toEqual(['text', 'Merged now?', w.id]);
    // And the team answers them there, on Telegram.
    await t.http().post(ws(`/conversations/${three.id}/messages`)).set(owner.auth).send({ channelId: tg.id, text: 'Yes, one conversation' }).expect(202);

    // Undo: the Telegram contact comes back with its own conversation and every message it brought,
    // the contact card that triggered the merge included; each conversation lists only its own channels.
    const journal = (await t.http().get(ws(`/contacts/${w.id}/merges`)).set(owner.auth).expect(200)).body.data;
    const merge = journal.find((j: { sourceContactId: string }) => j.sourceContactId === tgContact.id);
    expect(merge).toMatchObject({ automatic: true, reason: 'telegram_contact_card' });
    await t.http().post(ws(`/contacts/${w.id}/merges/${merge.id}/undo`)).set(owner.auth).send({}).expect(200);

    const back = await conversationOf(t, owner, tgContact.id);
    expect(back.id).toBe(tgConversation.id);
    expect(back.channels.map((c: { type: string }) => c.type)).toEqual(['telegram']);
    expect((await allMessages(t, owner, back.id)).map((m) => [m.direction, m.type, m.text ?? null, m.contactId])).toEqual([
      ['inbound', 'text', 'Hi from Telegram', tgContact.id],
      ['inbound', 'contact', null, tgContact.id],
      ['inbound', 'text', 'Merged now?', tgContact.id],
      ['outbound', 'text', 'Yes, one conversation', tgContact.id],
    ]);
    const remaining = await conversationOf(t, owner, w.id);
    expect((await allMessages(t, owner, remaining.id)).map((m) => [m.type, m.contactId])).toEqual([
      ['text', w.id],
      ['email', w.id],
    ]);
    expect(remaining.channels.map((c: { type: string }) => c.type).sort()).toEqual(['email', 'whatsapp']);
    expect(kinds(await contactWith(t, owner, String(tgUser)))).toEqual([`telegram:${tgUser}`]);
    expect(kinds(await contactWith(t, owner, waId))).toEqual([`email:${address}`, `phone:+${waId}`, `whatsapp:${waId}`]);

    // The split-out contact's next Telegram message is theirs again.
    await sandboxInbound(t, owner, tg.id, { from: String(tgUser), text: 'Still me', name: 'Mia L' });
    expect((await allMessages(t, owner, back.id)).map((m) => m.text ?? null)).toEqual(['Hi from Telegram', null, 'Merged now?', 'Yes, one conversation', 'Still me']);
  });

  it('gives a split-out contact the messages that came through its identifiers while merged, even without a conversation before', async () => {
    const { contact: customer, conversation } = await newCustomer('On WhatsApp');
    const address = `kim-${randomUUID().slice(0, 8)}@customer.example`;
    const typed = (await t.http().post(ws('/contacts')).set(owner.auth).send({ name: 'Kim', identifiers: [{ kind: 'email', value: address }] }).expect(201)).body;
    await t.http().post(ws(`/contacts/${customer.id}/merge`)).set(owner.auth).send({ sourceContactId: typed.id }).expect(200);
    await sandboxInbound(t, owner, pm.id, { from: address, text: 'Sent while merged', subject: 'Hello' });
    expect((await allMessages(t, owner, conversation.id)).map((m) => [m.type, m.contactId])).toEqual([
      ['text', customer.id],
      ['email', customer.id],
    ]);

    const [merge] = (await t.http().get(ws(`/contacts/${customer.id}/merges`)).set(owner.auth).expect(200)).body.data;
    await t.http().post(ws(`/contacts/${customer.id}/merges/${merge.id}/undo`)).set(owner.auth).send({}).expect(200);
    const kept = await conversationOf(t, owner, customer.id);
    expect((await allMessages(t, owner, kept.id)).map((m) => m.text)).toEqual(['On WhatsApp']);
    expect(kept.channels.map((c: { type: string }) => c.type)).toEqual(['whatsapp']);
    const theirs = await conversationOf(t, owner, typed.id);
    expect((await allMessages(t, owner, theirs.id)).map((m) => [m.type, m.text, m.contactId])).toEqual([['email', 'Sent while merged', typed.id]]);
    expect(theirs.channels).toEqual([expect.objectContaining({ channelId: pm.id, type: 'email', lastInboundAt: expect.any(String) })]);
  });

  it('stores every WhatsApp message type with its fields; reactions and quoted replies attach to their targets', async () => {
    const waId = newWaId();
    const media = t.app.get<SandboxMediaStore>(SANDBOX_MEDIA).put('whatsapp', { data: Buffer.from('jpeg-bytes'), contentType: 'image/jpeg' });
    const ids = { text: newWamid('TEXT'), image: newWamid('IMG'), loc: newWamid('LOC'), contacts: newWamid('CONT'), button: newWamid('BTN'), list: newWamid('LIST'), odd: newWamid('ODD'), quote: newWamid('Q') };
    const image = waImage(ids.image) as { image: Json };
    await whatsapp(fromCustomer(waText('Where is my order?', ids.text), waId));
    await whatsapp(fromCustomer({ ...image, image: { ...image.image, id: media.id } }, waId));
    await whatsapp(fromCustomer(waLocation(ids.loc), waId));
    await whatsapp(fromCustomer(waContacts(ids.contacts), waId));
    await whatsapp(fromCustomer(waButtonReply(ids.button), waId));
    await whatsapp(fromCustomer(waListReply(ids.list), waId));
    await whatsapp(fromCustomer(waUnsupported(ids.odd), waId));
    await whatsapp(fromCustomer({ ...waText('This one, please', ids.quote), context: { from: waId, id: ids.text } }, waId));
    // The fixture reacts to an outbound message we never stored: nothing to attach it to, nothing fails.
    await whatsapp(fromCustomer(waReaction('👍', newWamid('R')), waId));

    const contact = await contactWith(t, owner, waId);
    const conversation = await conversationOf(t, owner, contact.id);
    const messages = await allMessages(t, owner, conversation.id);
    const byProvider = Object.fromEntries(messages.map((m) => [m.providerMessageId, m]));
    expect(messages.map((m) => m.type)).toEqual(['text', 'image', 'location', 'contact', 'interactive_reply', 'interactive_reply', 'unsupported', 'text']);

    const text = await message(byProvider[ids.text].id);
    expect(text).toEqual({
      id: expect.any(String),
      conversationId: conversation.id,
      channelId: wa.id,
      contactId: contact.id,
      direction: 'inbound',
      type: 'text',
      text: 'Where is my order?',
      subject: null,
      attachments: [],
      replyToMessageId: null,
      reactions: [],
      editedAt: null,
      revisions: [],
      status: 'received',
      providerMessageId: ids.text,
      statusHistory: [{ status: 'received', at: expect.any(String) }],
      attempts: [],
      aiAssisted: false,
      sentAt: new Date(Number(WHATSAPP_FIXTURE.timestamp) * 1000).toISOString(),
      author: null,
      createdAt: expect.any(String),
    });

    const img = byProvider[ids.image];
    expect(img).toMatchObject({ text: 'Damaged box', attachments: [{ id: expect.any(String), contentType: 'image/jpeg', size: 10, filename: expect.any(String) }] });
    const file = await t.http().get(ws(`/attachments/${img.attachments[0].id}`)).set(owner.auth).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect((file.body as Buffer).toString()).toBe('jpeg-bytes');

    expect(byProvider[ids.loc].location).toEqual({ latitude: 52.520008, longitude: 13.404954, name: 'Alexanderplatz', address: '10178 Berlin' });
    expect(byProvider[ids.contacts].contacts).toEqual([{ name: 'Anna Schmidt', phone: '+49 151 98765432', waId: '4915198765432' }]);
    expect(byProvider[ids.button]).toMatchObject({ text: 'Yes, deliver', interactive: { id: 'confirm_delivery', title: 'Yes, deliver' }, replyToMessageId: null });
    expect(byProvider[ids.list]).toMatchObject({ text: 'Morning', interactive: { id: 'slot_am', title: 'Morning' } });
    expect(byProvider[ids.odd].raw).toMatchObject({ type: 'unsupported', errors: [expect.objectContaining({ code: 131051 })] });
    expect(byProvider[ids.quote].replyToMessageId).toBe(byProvider[ids.text].id);

    // The reaction fixture targets the fixtures' outbound message; aim it at the customer's text instead.
    const react = (emoji: string) => fromCustomer({ ...waReaction(emoji, newWamid('R')), reaction: { message_id: ids.text, emoji } }, waId);
    await whatsapp(react('👍'));
    expect((await message(byProvider[ids.text].id)).reactions).toEqual([{ emoji: '👍', by: 'contact', at: expect.any(String) }]);
    await whatsapp(react(''));
    expect((await message(byProvider[ids.text].id)).reactions).toEqual([]);
  });

  it('stores WhatsApp document, audio, video and sticker with their captions and downloaded files', async () => {
    const waId = newWaId();
    const store = t.app.get<SandboxMediaStore>(SANDBOX_MEDIA);
    const file = (contentType: string, bytes: string) => store.put('whatsapp', { data: Buffer.from(bytes), contentType });
    const pdf = file('application/pdf', '%PDF-1.4 receipt');
    const ogg = file('audio/ogg', 'ogg-voice-note');
    const mp4 = file('video/mp4', 'mp4-unboxing-video');
    const webp = file('image/webp', 'webp');
    const ids = { doc: newWamid('DOC'), audio: newWamid('AUD'), video: newWamid('VID'), sticker: newWamid('STK') };
    const doc = waDocument(ids.doc) as { document: Json };
    const audio = waAudio(ids.audio) as { audio: Json };
    const at = { from: waId, timestamp: WHATSAPP_FIXTURE.timestamp };
    await whatsapp(fromCustomer({ ...doc, document: { ...doc.document, id: pdf.id, sha256: pdf.sha256 } }, waId));
    await whatsapp(fromCustomer({ ...audio, audio: { ...audio.audio, id: ogg.id, sha256: ogg.sha256, mime_type: 'audio/ogg' } }, waId));
    await whatsapp(fromCustomer({ ...at, id: ids.video, type: 'video', video: { caption: 'Unboxing', mime_type: 'video/mp4', sha256: mp4.sha256, id: mp4.id } }, waId));
    await whatsapp(fromCustomer({ ...at, id: ids.sticker, type: 'sticker', sticker: { mime_type: 'image/webp', sha256: webp.sha256, id: webp.id, animated: false } }, waId));

    const contact = await contactWith(t, owner, waId);
    const messages = await allMessages(t, owner, (await conversationOf(t, owner, contact.id)).id);
    const fields = (m: Json) => ({ type: m.type, text: m.text ?? null, attachments: (m.attachments as Json[]).map(({ filename, contentType, size }) => ({ filename, contentType, size })) });
    expect(messages.map((m) => m.providerMessageId)).toEqual([ids.doc, ids.audio, ids.video, ids.sticker]);
    expect(messages.map(fields)).toEqual([
      { type: 'document', text: 'Receipt', attachments: [{ filename: 'receipt-1042.pdf', contentType: 'application/pdf', size: pdf.size }] },
      { type: 'audio', text: null, attachments: [{ filename: expect.any(String), contentType: 'audio/ogg', size: ogg.size }] },
      { type: 'video', text: 'Unboxing', attachments: [{ filename: expect.any(String), contentType: 'video/mp4', size: mp4.size }] },
      { type: 'sticker', text: null, attachments: [{ filename: expect.any(String), contentType: 'image/webp', size: webp.size }] },
    ]);
    // The list and the single message agree, and the stored bytes are the provider's.
    const single = await message(messages[0].id);
    expect(fields(single)).toEqual(fields(messages[0]));
    expect(single.attachments[0].id).toBe(messages[0].attachments[0].id);
  });

  it('stores Telegram photo, document, voice and callback_query with their captions, files and tapped button', async () => {
    const user = randomInt(100_000_000, 999_999_999);
    const store = t.app.get<SandboxMediaStore>(SANDBOX_MEDIA);
    const photo = store.put('telegram', { data: Buffer.from('large-jpeg'), contentType: 'image/jpeg' });
    const pdf = store.put('telegram', { data: Buffer.from('%PDF-1.4 Rechnung'), contentType: 'application/pdf', filename: 'Rechnung-1042.pdf' });
    const voice = store.put('telegram', { data: Buffer.from('oga-voice'), contentType: 'audio/ogg' });
    const me = { id: user, is_bot: false, first_name: 'Lea' };
    /** A fixture update as this customer's, with its file ids swapped for files the sandbox holds. */
    const asCustomer = (update: Json, part: Json) => {
      const msg = update.message as Json;
      return tgUpdate('message', { ...msg, ...part, from: me, chat: { id: user, type: 'private', first_name: 'Lea' } }, randomInt(1, 2 ** 31));
    };
    const photoMsg = tgPhotoUpdate().message as { photo: Json[] };
    const docMsg = tgDocumentUpdate().message as { document: Json };
    const voiceMsg = tgVoiceUpdate().message as { voice: Json };
    await telegram(asCustomer(tgPhotoUpdate(), { photo: [...photoMsg.photo.slice(0, -1), { ...photoMsg.photo.at(-1), file_id: photo.id, file_size: photo.size }] }));
    await telegram(asCustomer(tgDocumentUpdate(), { document: { ...docMsg.document, file_id: pdf.id, file_size: pdf.size } }));
    await telegram(asCustomer(tgVoiceUpdate(), { voice: { ...voiceMsg.voice, file_id: voice.id, file_size: voice.size } }));
    const callback = tgCallbackQueryUpdate() as { callback_query: Json };
    const queryId = String(randomInt(1, 2 ** 47));
    await telegram({ update_id: randomInt(1, 2 ** 31), callback_query: { ...callback.callback_query, id: queryId, from: me } });

    const contact = await contactWith(t, owner, String(user));
    const messages = await allMessages(t, owner, (await conversationOf(t, owner, contact.id)).id);
    const fields = (m: Json) => ({ type: m.type, text: m.text ?? null, attachments: (m.attachments as Json[]).map(({ filename, contentType, size }) => ({ filename, contentType, size })) });
    expect(messages.map((m) => m.providerMessageId)).toEqual([`${user}:42`, `${user}:43`, `${user}:44`, `cb:${queryId}`]);
    expect(messages.map(fields)).toEqual([
      // The largest PhotoSize is the one downloaded.
      { type: 'image', text: 'Box arrived damaged', attachments: [{ filename: expect.any(String), contentType: 'image/jpeg', size: photo.size }] },
      { type: 'document', text: 'Invoice', attachments: [{ filename: 'Rechnung-1042.pdf', contentType: 'application/pdf', size: pdf.size }] },
      { type: 'audio', text: null, attachments: [{ filename: expect.any(String), contentType: 'audio/ogg', size: voice.size }] },
      { type: 'interactive_reply', text: 'deliver:yes', attachments: [] },
    ]);
    expect(messages[3]).toMatchObject({ interactive: { id: 'deliver:yes', payload: 'deliver:yes' }, contactId: contact.id, direction: 'inbound', status: 'received' });
    const file = await t.http().get(ws(`/attachments/${messages[0].attachments[0].id}`)).set(owner.auth).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((file.body as Buffer).toString()).toBe('large-jpeg');
  });

  it('applies Telegram edits with their history and links quoted replies', async () => {
    const first = tgUpdate('message', tgMessage(41, { text: 'Hallo, wo ist meine Bestellung?' }), 900_000_001);
    await telegram(first);
    await telegram(tgTextUpdate('Reply to the bot’s question', 60));
    await telegram(tgUpdate('message', tgMessage(61, { text: 'See my first message', reply_to_message: tgMessage(41, { text: 'Hallo, wo ist meine Bestellung?' }) }), 900_000_003));
    await telegram(tgEditedUpdate());
    // The same edit delivered again under another update id changes nothing.
    await telegram({ ...tgEditedUpdate(), update_id: 900_000_004 });

    const contact = await contactWith(t, owner, String(TELEGRAM_FIXTURE.userId));
    const conversation = await conversationOf(t, owner, contact.id);
    const [original, toBot, quoting] = await allMessages(t, owner, conversation.id);
    expect(original).toMatchObject({
      providerMessageId: `${TELEGRAM_FIXTURE.chatId}:41`,
      text: 'Hallo, wo ist meine Bestellung #1042?',
      editedAt: new Date((TELEGRAM_FIXTURE.date + 60) * 1000).toISOString(),
      revisions: [{ text: 'Hallo, wo ist meine Bestellung?', at: new Date(TELEGRAM_FIXTURE.date * 1000).toISOString() }],
    });
    expect(toBot.replyToMessageId).toBeNull();
    expect(quoting.replyToMessageId).toBe(original.id);
  });

  it('stores Postmark email with its headers and attachments, threads In-Reply-To, and follows the plus-address token', async () => {
    const address = `jane-${randomUUID().slice(0, 8)}@customer.example`;
    const from = { From: address, FromFull: { Email: address, Name: 'Jane Doe', MailboxHash: '' } };
    const firstId = `first-${randomUUID()}@mail.customer.example`;
    await email(postmarkInbound({ ...from, MessageID: randomUUID(), Subject: 'Your order #1042', Attachments: [], MailboxHash: '', ToFull: [], Headers: [{ Name: 'Message-ID', Value: `<${firstId}>` }] }));
    const replyId = `reply-${randomUUID()}@mail.customer.example`;
    await email(postmarkInbound({ ...from, MessageID: randomUUID(), Headers: [{ Name: 'Message-ID', Value: `<${replyId}>` }, { Name: 'In-Reply-To', Value: `<${firstId}>` }, { Name: 'References', Value: `<${firstId}>` }] }));

    const contact = await contactWith(t, owner, address);
    const conversation = await conversationOf(t, owner, contact.id);
    const [first, reply] = await allMessages(t, owner, conversation.id);
    expect(reply).toMatchObject({
      type: 'email',
      text: 'Thanks, the invoice is attached.',
      subject: 'Re: Your order #1042',
      email: { textBody: expect.stringContaining('Please send the invoice'), htmlBody: expect.stringContaining('<p>'), messageId: replyId, inReplyTo: firstId, references: [firstId] },
      replyToMessageId: first.id,
      attachments: [
        { filename: 'invoice-1042.pdf', contentType: 'application/pdf', size: 21 },
        { filename: 'logo.png', contentType: 'image/png', size: 14 },
      ],
    });
    const pdf = await t.http().get(ws(`/attachments/${reply.attachments[0].id}`)).set(owner.auth).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('invoice-1042.pdf');
    expect((pdf.body as Buffer).equals(Buffer.from(POSTMARK_FIXTURE.pdfBase64, 'base64'))).toBe(true);

    // A reply from another address that kept our plus-addressed Reply-To lands in this conversation.
    const [{ email_thread_token: token }] = await sql<{ email_thread_token: string }>('select email_thread_token from conversations where id = $1', [conversation.id]);
    const colleague = `colleague-${randomUUID().slice(0, 8)}@customer.example`;
    await email(postmarkInbound({ From: colleague, FromFull: { Email: colleague, Name: 'Colleague', MailboxHash: '' }, MessageID: randomUUID(), MailboxHash: token, Attachments: [], Headers: [] }));
    expect((await allMessages(t, owner, conversation.id)).map((m) => m.contactId)).toEqual([contact.id, contact.id, (await contactWith(t, owner, colleague)).id]);
  });

  it('never stores a message twice: redelivery, 20 concurrent deliveries, replay, and concurrent processing', async () => {
    const waId = newWaId();
    const once = fromCustomer(waText('once', newWamid('ONCE')), waId);
    await whatsapp(once);
    await postWhatsapp(t, wa.id, once, wa.appSecret).expect(200).expect((r) => expect(r.body.duplicate).toBe(true));

    const burst = fromCustomer(waText('burst', newWamid('BURST')), waId);
    const answers = await Promise.all(Array.from({ length: 20 }, () => postWhatsapp(t, wa.id, burst, wa.appSecret)));
    const stored = answers.filter((a) => a.body.duplicate === false);
    expect(stored).toHaveLength(1);
    await processed(t, owner, wa.id, stored[0]);

    // Replaying the stored event runs the consumers again (the 202 comes after the reset to pending commits).
    await t.http().post(ws(`/channels/${wa.id}/webhook-events/${stored[0].body.eventId}/replay`)).set(owner.auth).expect(202);
    await waitForLedger(t, owner, wa.id, (e) => e.some((x) => x.id === stored[0].body.eventId && x.status === 'processed' && x.attempts === 1));

    // The consumer itself, called 20 times at once with one parsed message (as racing workers would).
    const consumer = t.app.get<InboundConsumerRegistry>(INBOUND_CONSUMERS).list().find((c) => c.name === 'messaging')!;
    const parsed = parseWhatsAppWebhook(fromCustomer(waText('raced', newWamid('RACE')), waId));
    const event = { workspaceId: owner.workspaceId, channelId: wa.id, channelType: 'whatsapp' as const, eventId: randomUUID(), receivedAt: new Date(), media: new Map() };
    await Promise.all(Array.from({ length: 20 }, () => consumer.consume(event, parsed)));

    const contact = await contactWith(t, owner, waId);
    expect((await allMessages(t, owner, (await conversationOf(t, owner, contact.id)).id)).map((m) => m.text)).toEqual(['once', 'burst', 'raced']);

    // A new customer's first 20 messages processed at once still make one conversation.
    const newcomer = newWaId();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => consumer.consume({ ...event, eventId: randomUUID() }, parseWhatsAppWebhook(fromCustomer(waText(`m${i}`, newWamid(`N${i}`)), newcomer)))),
    );
    const newcomerContact = await contactWith(t, owner, newcomer);
    const conversations = await conversationsOf(t, owner, newcomerContact.id);
    expect(conversations).toHaveLength(1);
    expect(await allMessages(t, owner, conversations[0].id)).toHaveLength(20);
  });

  it('pages messages oldest first, stable while new messages arrive', async () => {
    const { waId, conversation } = await newCustomer('m1');
    for (const text of ['m2', 'm3', 'm4', 'm5']) await sandboxInbound(t, owner, wa.id, { from: waId, text });
    const page = (cursor?: string) => t.http().get(ws(`/conversations/${conversation.id}/messages`)).query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(owner.auth).expect(200);

    const seen: string[] = [];
    let res = await page();
    seen.push(...res.body.data.map((m: { text: string }) => m.text));
    for (const text of ['m6', 'm7']) await sandboxInbound(t, owner, wa.id, { from: waId, text });
    while (res.body.nextCursor) {
      res = await page(res.body.nextCursor);
      seen.push(...res.body.data.map((m: { text: string }) => m.text));
    }
    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expectProblem(await t.http().get(ws(`/conversations/${conversation.id}/messages`)).query({ cursor: 'not-a-cursor' }).set(owner.auth), 400, 'validation_failed');
    expectProblem(await t.http().get(ws(`/conversations/${conversation.id}/messages`)).query({ limit: 500 }).set(owner.auth), 400, 'validation_failed');
  });

  it('lists conversations newest activity first with filters and keyset pages', async () => {
    const a = await newCustomer('first');
    const b = await newCustomer('second');
    const list = (query: Json) => t.http().get(ws('/conversations')).query(query).set(owner.auth).expect(200);
    const top = (await list({ limit: 2, channelId: wa.id })).body;
    expect(top.data.map((c: { id: string }) => c.id)).toEqual([b.conversation.id, a.conversation.id]);
    expect(top.data[0]).toMatchObject({ contact: { id: b.contact.id, name: 'Pat Doe' }, channels: [{ channelId: wa.id, type: 'whatsapp' }] });
    await sandboxInbound(t, owner, wa.id, { from: a.waId, text: 'again' });
    expect((await list({ limit: 1 })).body.data[0].id).toBe(a.conversation.id);

    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const body: { data: { id: string }[]; nextCursor: string | null } = (await list({ limit: 3, ...(cursor ? { cursor } : {}) })).body;
      all.push(...body.data.map((c) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining([a.conversation.id, b.conversation.id]));
    expect((await list({ channelId: pm.id })).body.data.map((c: { id: string }) => c.id)).not.toContain(a.conversation.id);
    expectProblem(await t.http().get(ws('/conversations')).query({ status: 'closed' }).set(owner.auth), 400, 'validation_failed');
  });

  it('walks conversations without repeats or skips while new messages bump them to the top', async () => {
    const acc = await signup(t, 'paging');
    const channel = await connectWhatsapp(t, acc);
    const customers: { waId: string; conversationId: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const waId = newWaId();
      await sandboxInbound(t, acc, channel.id, { from: waId, text: `hello ${i}` });
      customers.push({ waId, conversationId: (await conversationOf(t, acc, (await contactWith(t, acc, waId)).id)).id });
    }
    // Activity that ties on the timestamp, or differs by microseconds (finer than a JS Date), still pages in one strict order.
    const [x, y, z] = customers.slice(0, 3).map((c) => c.conversationId);
    await sql("update conversations set last_message_at = '2026-01-01T00:00:00.000200Z' where id = $1", [x]);
    await sql("update conversations set last_message_at = '2026-01-01T00:00:00.000100Z' where id = any($1::uuid[])", [[y, z]]);

    const page = (cursor: string | null) =>
      t.http().get(`/v1/workspaces/${acc.workspaceId}/conversations`).query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(acc.auth).expect(200);
    const before = (await page(null)).body.data.map((c: { id: string }) => c.id);
    expect(before).toHaveLength(2);

    const walked: string[] = [];
    const bumped = new Set<string>();
    let cursor: string | null = null;
    let turn = 0;
    do {
      const body: { data: { id: string }[]; nextCursor: string | null } = (await page(cursor)).body;
      walked.push(...body.data.map((c) => c.id));
      cursor = body.nextCursor;
      // Between pages a customer writes again: alternately one already listed and one still ahead.
      const seen = customers.filter((c) => walked.includes(c.conversationId) && !bumped.has(c.conversationId));
      const ahead = customers.filter((c) => !walked.includes(c.conversationId) && !bumped.has(c.conversationId) && ![x, y, z].includes(c.conversationId));
      const next = turn++ % 2 === 0 ? seen[0] : ahead[0];
      if (next && cursor) {
        await sandboxInbound(t, acc, channel.id, { from: next.waId, text: `bump ${turn}` });
        bumped.add(next.conversationId);
      }
    } while (cursor);

    expect(bumped.size).toBeGreaterThanOrEqual(2);
    expect(new Set(walked).size).toBe(walked.length);
    const untouched = customers.map((c) => c.conversationId).filter((id) => !bumped.has(id));
    expect(walked).toEqual(expect.arrayContaining(untouched));
    expect(walked.indexOf(x)).toBeLessThan(Math.min(walked.indexOf(y), walked.indexOf(z)));
    // A bumped conversation is at the top of a fresh walk.
    const top = (await page(null)).body.data.map((c: { id: string }) => c.id);
    expect([...bumped]).toContain(top[0]);
  });

  it('updates status, snooze, assignee and labels with validation, audit and filters', async () => {
    const { conversation } = await newCustomer();
    const url = ws(`/conversations/${conversation.id}`);
    const patch = (body: Json, auth = owner.auth) => t.http().patch(url).set(auth).send(body);
    const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

    let res = await patch({ status: 'snoozed' });
    expectProblem(res, 400, 'validation_failed');
    expect(fieldsOf(res)).toEqual(['snoozedUntil']);
    expect(fieldsOf(await patch({ status: 'snoozed', snoozedUntil: later(-60_000) }))).toEqual(['snoozedUntil']);
    expect(fieldsOf(await patch({ status: 'resolved', snoozedUntil: later(60_000) }))).toEqual(['snoozedUntil']);
    expect(fieldsOf(await patch({ assigneeId: randomUUID() }))).toEqual(['assigneeId']);
    expectProblem(await patch({ status: 'closed' }), 400, 'validation_failed');
    expectProblem(await patch({ labels: ['ok', ''] }), 400, 'validation_failed');
    expectProblem(await patch({ contactId: randomUUID() }), 400, 'validation_failed');

    const agent = await memberWithRole(t, owner, 'agent');
    const viewer = await memberWithRole(t, owner, 'viewer');
    const other = await signup(t, 'outsider');
    expect(fieldsOf(await patch({ assigneeId: other.userId }))).toEqual(['assigneeId']);
    expectProblem(await patch({ status: 'resolved' }, viewer.auth), 403, 'forbidden');

    const until = later(3_600_000);
    res = await patch({ status: 'snoozed', snoozedUntil: until, assigneeId: agent.userId, labels: ['billing', ' vip ', 'billing'] }).expect(200);
    expect(res.body).toMatchObject({ status: 'snoozed', snoozedUntil: until, assigneeId: agent.userId, labels: ['billing', 'vip'] });
    res = await patch({ status: 'pending' }, agent.auth).expect(200);
    expect(res.body).toMatchObject({ status: 'pending', snoozedUntil: null, assigneeId: agent.userId });

    const ids = async (query: Json) => (await t.http().get(ws('/conversations')).query(query).set(owner.auth).expect(200)).body.data.map((c: { id: string }) => c.id);
    expect(await ids({ assigneeId: agent.userId })).toEqual([conversation.id]);
    expect(await ids({ label: 'vip', status: 'pending' })).toEqual([conversation.id]);
    expect(await ids({ label: 'nope' })).toEqual([]);

    await patch({ assigneeId: null }).expect(200).expect((r) => expect(r.body.assigneeId).toBeNull());
    const audit = (await t.http().get(ws('/audit-events')).query({ action: 'conversation.updated' }).set(owner.auth).expect(200)).body.data;
    expect(audit.filter((e: { subjectId: string }) => e.subjectId === conversation.id).length).toBeGreaterThanOrEqual(3);
  });

  it('reopens resolved and snoozed conversations on a new inbound message, and wakes expired snoozes', async () => {
    const { waId, conversation } = await newCustomer();
    const url = ws(`/conversations/${conversation.id}`);
    const status = async () => (await t.http().get(url).set(owner.auth).expect(200)).body;

    await t.http().patch(url).set(owner.auth).send({ status: 'resolved' }).expect(200);
    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'One more thing' });
    expect(await status()).toMatchObject({ status: 'open', snoozedUntil: null });

    await t.http().patch(url).set(owner.auth).send({ status: 'snoozed', snoozedUntil: later(3_600_000) }).expect(200);
    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'Hello?' });
    expect(await status()).toMatchObject({ status: 'open', snoozedUntil: null });

    const notYet = await newCustomer();
    await t.http().patch(ws(`/conversations/${notYet.conversation.id}`)).set(owner.auth).send({ status: 'snoozed', snoozedUntil: later(3_600_000) }).expect(200);
    await t.http().patch(url).set(owner.auth).send({ status: 'snoozed', snoozedUntil: later(3_600_000) }).expect(200);
    await sql("update conversations set snoozed_until = now() - interval '1 second' where id = $1", [conversation.id]);
    // The repeatable job may get there first; either way it is the wake-up that reopens it.
    await t.app.get<ConversationsMaintenanceService>(CONVERSATIONS_MAINTENANCE).wakeSnoozed();
    expect(await status()).toMatchObject({ status: 'open', snoozedUntil: null });
    expect((await t.http().get(ws(`/conversations/${notYet.conversation.id}`)).set(owner.auth).expect(200)).body.status).toBe('snoozed');
  });

  it('emits conversation.created, message.received and conversation.updated once committed', async () => {
    const recorder = recordDomainEvents(t, ['conversation.created', 'conversation.updated', 'message.received']);
    try {
      const { waId, contact, conversation } = await newCustomer('Hello events');
      const [first] = await allMessages(t, owner, conversation.id);
      expect(recorder.events).toEqual([
        { name: 'conversation.created', payload: { workspaceId: owner.workspaceId, conversationId: conversation.id, contactId: contact.id } },
        { name: 'message.received', payload: { workspaceId: owner.workspaceId, conversationId: conversation.id, contactId: contact.id, messageId: first.id } },
      ]);
      recorder.events.length = 0;
      await t.http().patch(ws(`/conversations/${conversation.id}`)).set(owner.auth).send({ status: 'resolved', labels: ['x'] }).expect(200);
      await sandboxInbound(t, owner, wa.id, { from: waId, text: 'Reopen please' });
      expect(recorder.events.map((e) => [e.name, e.payload.changes ?? null])).toEqual([
        ['conversation.updated', ['status', 'labels']],
        ['conversation.updated', ['status', 'snoozedUntil']],
        ['message.received', null],
      ]);
    } finally {
      recorder.stop();
    }
  });

  it('adds internal notes that the team sees in the conversation', async () => {
    const { conversation } = await newCustomer('Need help');
    const agent = await memberWithRole(t, owner, 'agent');
    const viewer = await memberWithRole(t, owner, 'viewer');
    const res = await t.http().post(ws(`/conversations/${conversation.id}/notes`)).set(agent.auth).send({ text: 'Refund approved' }).expect(201);
    expect(res.body).toMatchObject({ direction: 'internal', type: 'note', channelId: null, text: 'Refund approved', author: { type: 'user', id: agent.userId }, attachments: [] });
    expect((await allMessages(t, owner, conversation.id)).map((m) => [m.type, m.text])).toEqual([['text', 'Need help'], ['note', 'Refund approved']]);
    expect(await message(res.body.id)).toMatchObject({ id: res.body.id, type: 'note' });
    expectProblem(await t.http().post(ws(`/conversations/${conversation.id}/notes`)).set(viewer.auth).send({ text: 'x' }), 403, 'forbidden');
    expectProblem(await t.http().post(ws(`/conversations/${conversation.id}/notes`)).set(owner.auth).send({ text: '' }), 400, 'validation_failed');
    expectProblem(await t.http().post(ws(`/conversations/${randomUUID()}/notes`)).set(owner.auth).send({ text: 'x' }), 404, 'not_found');
  });

  it('searches message words and contact phone fragments, never another workspace, masking PII for viewers', async () => {
    const word = `quokka${randomInt(1e6, 1e7)}`;
    const { waId, contact, conversation } = await newCustomer(`My parcel ${word} never arrived`);
    const other = await signup(t, 'other-tenant');
    const otherWa = await connectWhatsapp(t, other);
    await sandboxInbound(t, other, otherWa.id, { from: newWaId(), text: `Their ${word} too`, name: 'Someone Else' });

    const search = (q: string, account: Account = owner, extra: Json = {}) => t.http().get(ws('/search', account)).query({ q, ...extra }).set(account.auth).expect(200);
    const hits = (await search(word)).body;
    expect(hits).toEqual({ data: [expect.objectContaining({ type: 'message', conversationId: conversation.id, snippet: expect.stringContaining(word) })], nextCursor: null });
    expect((await search(word, other)).body.data.map((h: { conversationId: string }) => h.conversationId)).not.toContain(conversation.id);

    const fragment = waId.slice(3, 11);
    const byPhone = (await search(fragment)).body.data.filter((h: { type: string }) => h.type === 'contact');
    expect(byPhone).toEqual([expect.objectContaining({ type: 'contact', id: contact.id, identifiers: expect.arrayContaining([{ kind: 'whatsapp', value: waId }]) })]);

    // A viewer finds the contact by name with masked identifiers, and cannot search by the hidden phone.
    const viewer = await memberWithRole(t, owner, 'viewer');
    const named = await t.http().patch(ws(`/contacts/${contact.id}`)).set(owner.auth).send({ name: `Pat ${word}` }).expect(200);
    expect(named.body.name).toContain(word);
    const viewed = (await search(word, { ...owner, auth: viewer.auth })).body.data;
    const contactHit = viewed.find((h: { type: string }) => h.type === 'contact');
    expect(contactHit.identifiers.find((i: { kind: string }) => i.kind === 'whatsapp').value).toMatch(/•/);
    expect(JSON.stringify(viewed)).not.toContain(waId);
    expect((await search(fragment, { ...owner, auth: viewer.auth })).body.data.filter((h: { type: string }) => h.type === 'contact')).toEqual([]);

    // Keyset pages over both kinds.
    const first = (await search(word, owner, { limit: 1 })).body;
    expect(first.data).toHaveLength(1);
    const second = (await search(word, owner, { limit: 1, cursor: first.nextCursor })).body;
    expect(second.data).toHaveLength(1);
    expect(second.data[0].id).not.toBe(first.data[0].id);
    expectProblem(await t.http().get(ws('/search')).query({ q: 'x' }).set(owner.auth), 400, 'validation_failed');
  });

  it('masks identifiers for viewers and hides other workspaces’ conversations, messages and attachments', async () => {
    const { waId, conversation } = await newCustomer('private');
    const viewer = await memberWithRole(t, owner, 'viewer');
    const seen = (await t.http().get(ws(`/conversations/${conversation.id}`)).set(viewer.auth).expect(200)).body;
    const identifier = seen.contact.identifiers.find((i: { kind: string }) => i.kind === 'whatsapp');
    expect(identifier.value).toMatch(/•/);
    expect(JSON.stringify(seen)).not.toContain(waId);
    expect((await t.http().get(ws(`/conversations/${conversation.id}`)).set(owner.auth).expect(200)).body.contact.identifiers).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'whatsapp', value: waId, verified: true })]),
    );

    const [first] = await allMessages(t, owner, conversation.id, viewer.auth);
    const other = await signup(t, 'stranger');
    for (const path of [`/conversations/${conversation.id}`, `/conversations/${conversation.id}/messages`, `/messages/${first.id}`]) {
      expectProblem(await t.http().get(ws(path, other)).set(other.auth), 404, 'not_found');
      expectProblem(await t.http().get(ws(path)).set(other.auth), 404, 'not_found');
    }
    expectProblem(await t.http().patch(ws(`/conversations/${conversation.id}`, other)).set(other.auth).send({ status: 'resolved' }), 404, 'not_found');
  });
});
