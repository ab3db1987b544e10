import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  postmarkClick,
  postmarkDelivery,
  postmarkHardBounce,
  postmarkInbound,
  postmarkOpen,
  postmarkSpamComplaint,
  postmarkSubscriptionChange,
} from '../../src/modules/channels/adapters/postmark/fixtures';
import {
  tgCallbackQueryUpdate,
  tgContactUpdate,
  tgDocumentUpdate,
  tgEditedUpdate,
  tgLocationUpdate,
  tgPhotoUpdate,
  tgReactionUpdate,
  tgTextUpdate,
  tgVoiceUpdate,
} from '../../src/modules/channels/adapters/telegram/fixtures';
import {
  waAudio,
  waButton,
  waButtonReply,
  waContact,
  waContacts,
  waDocument,
  waFailedStatus,
  waImage,
  waInbound,
  waListReply,
  waLocation,
  waNotification,
  waReaction,
  waStatus,
  waStatusNotification,
  waText,
  waUnsupported,
  waValue,
  WHATSAPP_SIGNATURE_VECTORS,
} from '../../src/modules/channels/adapters/whatsapp/fixtures';
import type { SandboxMediaStore } from '../../src/modules/sandbox';
import { SANDBOX_MEDIA } from '../../src/modules/sandbox';
import { connectEmail, connectTelegram, connectWhatsapp, hubSignature, postPostmark, postTelegram, postWhatsapp, waitForLedger } from '../utils/channels';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

type Json = Record<string, any>;
interface Counts {
  messages: number;
  statuses: number;
  reactions: number;
  edits: number;
  consents: number;
  media: number;
}
const counts = (c: Partial<Counts>): Counts => ({ messages: 0, statuses: 0, reactions: 0, edits: 0, consents: 0, media: 0, ...c });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('provider webhooks: every fixture kind through the real endpoints', () => {
  let t: TestApp;
  let owner: Account;
  let media: SandboxMediaStore;
  const storageDir = mkdtempSync(join(tmpdir(), 'nz-webhooks-'));

  beforeAll(async () => {
    t = await startApp({ STORAGE_DIR: storageDir });
    owner = await signup(t);
    media = t.app.get<SandboxMediaStore>(SANDBOX_MEDIA);
  });
  afterAll(async () => {
    await t.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  /** Waits until every event is processed and returns them by id. */
  async function processed(channelId: string, ids: string[], timeoutMs = 15_000): Promise<Map<string, Json>> {
    const events = await waitForLedger(t, owner, channelId, (e) => e.length === ids.length && e.every((x) => x.status === 'processed'), timeoutMs);
    const byId = new Map(events.map((e) => [e.id as string, e as Json]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    return byId;
  }

  async function expectStoredFile(stored: Json, data: Buffer, contentType: string) {
    expect(stored).toMatchObject({ key: expect.any(String), contentType, size: data.length, sha256: sha256(data) });
    expect(await readFile(join(storageDir, stored.key))).toEqual(data);
  }

  describe('WhatsApp', () => {
    /** A media message whose id points at a file seeded in the sandbox's Graph media store. */
    function withSeededMedia(message: Json, type: 'image' | 'document' | 'audio', contentType: string) {
      const data = Buffer.from(`${type} bytes ${randomUUID()}`);
      const seeded = media.put('whatsapp', { data, contentType });
      const copy = clone(message);
      copy[type] = { ...copy[type], id: seeded.id, sha256: seeded.sha256 };
      return { message: copy, data, id: seeded.id };
    }
    const uid = (prefix: string) => `wamid.${prefix}${randomUUID()}`;

    it('processes every payload kind with matching result counts; wrong signatures are 401 and store nothing', async () => {
      const wa = await connectWhatsapp(t, owner);
      const image = withSeededMedia(waImage(uid('IMG')), 'image', 'image/jpeg');
      const document = withSeededMedia(waDocument(uid('DOC')), 'document', 'application/pdf');
      const audio = withSeededMedia(waAudio(uid('AUD')), 'audio', 'audio/ogg');
      const cases: [string, Json, Counts][] = [
        ['text', waInbound(waText('Hallo', uid('TXT'))), counts({ messages: 1 })],
        ['image', waInbound(image.message), counts({ messages: 1, media: 1 })],
        ['document', waInbound(document.message), counts({ messages: 1, media: 1 })],
        ['audio', waInbound(audio.message), counts({ messages: 1, media: 1 })],
        ['location', waInbound(waLocation(uid('LOC'))), counts({ messages: 1 })],
        ['contacts', waInbound(waContacts(uid('CON'))), counts({ messages: 1 })],
        ['interactive button reply', waInbound(waButtonReply(uid('BTNR'))), counts({ messages: 1 })],
        ['interactive list reply', waInbound(waListReply(uid('LIST'))), counts({ messages: 1 })],
        ['template quick-reply button', waInbound(waButton(uid('BTN'))), counts({ messages: 1 })],
        ['reaction', waInbound(waReaction('👍', uid('REA'))), counts({ reactions: 1 })],
        ['unsupported', waInbound(waUnsupported(uid('UNS'))), counts({ messages: 1 })],
        ['status sent', waStatusNotification(waStatus('sent')), counts({ statuses: 1 })],
        ['status delivered', waStatusNotification(waStatus('delivered')), counts({ statuses: 1 })],
        ['status read', waStatusNotification(waStatus('read')), counts({ statuses: 1 })],
        ['status failed', waStatusNotification(waFailedStatus()), counts({ statuses: 1 })],
        [
          'multi-entry batch',
          waNotification([
            [waValue({ contacts: [waContact()], messages: [waText('one', uid('B1')), waText('two', uid('B2'))] }), waValue({ statuses: [waStatus('sent', { id: uid('BS') })] })],
            [waValue({ contacts: [waContact('4915100000000', 'Other')], messages: [waReaction('❤️', uid('BR')), waLocation(uid('BL'))] })],
          ]),
          counts({ messages: 3, statuses: 1, reactions: 1 }),
        ],
      ];

      const ids: string[] = [];
      const expected = new Map<string, [string, Counts]>();
      for (const [name, payload, want] of cases) {
        const raw = JSON.stringify(payload);
        await postWhatsapp(t, wa.id, payload, 'not-the-app-secret').expect(401).expect((r) => expect([name, r.body.code]).toEqual([name, 'invalid_signature']));
        await t.http().post(`/v1/webhooks/whatsapp/${wa.id}`).set('content-type', 'application/json').send(raw).expect(401);
        // A valid signature over different bytes (re-serialized with spaces) does not verify either.
        await t.http().post(`/v1/webhooks/whatsapp/${wa.id}`).set('content-type', 'application/json').set('x-hub-signature-256', hubSignature(JSON.stringify(payload, null, 1), wa.appSecret)).send(raw).expect(401);
        const res = await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200);
        expect([name, res.body.status]).toEqual([name, 'pending']);
        ids.push(res.body.eventId);
        expected.set(res.body.eventId, [name, want]);
      }

      const events = await processed(wa.id, ids);
      for (const [id, [name, want]] of expected) expect([name, events.get(id)!.result.counts]).toEqual([name, want]);
      // Media arrived in storage with the sandbox's bytes.
      const byName = (name: string) => events.get([...expected].find(([, [n]]) => n === name)![0])!;
      await expectStoredFile(byName('image').result.media[image.id], image.data, 'image/jpeg');
      await expectStoredFile(byName('document').result.media[document.id], document.data, 'application/pdf');
      // The MIME type the webhook declared wins over the download's Content-Type.
      await expectStoredFile(byName('audio').result.media[audio.id], audio.data, 'audio/ogg; codecs=opus');
      expect(byName('reaction').result.parsed.reactions[0]).toMatchObject({ emoji: '👍' });
      expect(byName('status failed').result.parsed.statuses[0]).toMatchObject({ status: 'failed', error: { code: '131047' } });
    }, 60_000);

    it('verifies the signature over the exact raw bytes, \\u-escaped or literal UTF-8', async () => {
      const V = WHATSAPP_SIGNATURE_VECTORS;
      for (const variant of ['escaped', 'literal'] as const) {
        const wa = await connectWhatsapp(t, owner, V.appSecret);
        // Sent as a string: supertest writes it as exactly these UTF-8 bytes (a Buffer would be JSON-encoded).
        const raw = V[variant].raw;
        expect(Buffer.from(raw, 'utf8').includes(Buffer.from('äöå', 'utf8'))).toBe(variant === 'literal');
        // The other variant's signature does not match these bytes although the JSON means the same.
        const other = variant === 'escaped' ? V.literal.signature : V.escaped.signature;
        await t.http().post(`/v1/webhooks/whatsapp/${wa.id}`).set('content-type', 'application/json').set('x-hub-signature-256', other).send(raw).expect(401);
        const res = await t.http().post(`/v1/webhooks/whatsapp/${wa.id}`).set('content-type', 'application/json').set('x-hub-signature-256', V[variant].signature).send(raw).expect(200);
        expect(res.body).toMatchObject({ duplicate: false, status: 'pending' });
        const [event] = (await processed(wa.id, [res.body.eventId])).values();
        expect(event.payload.entry[0].changes[0].value.messages[0].text.body).toBe('äöå');
        expect(event.result.parsed.messages[0]).toMatchObject({ text: 'äöå', from: { displayName: 'Järvi' } });
      }
    });

    it('downloads an image from the Graph media store into STORAGE_DIR', async () => {
      const wa = await connectWhatsapp(t, owner);
      const data = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.from(randomUUID())]);
      const seeded = media.put('whatsapp', { data, contentType: 'image/jpeg' });
      const message = waImage(uid('MEDIA'));
      message.image = { ...(message.image as Json), id: seeded.id, sha256: seeded.sha256 };
      const res = await postWhatsapp(t, wa.id, waInbound(message), wa.appSecret).expect(200);
      const [event] = (await processed(wa.id, [res.body.eventId])).values();
      expect(event.result.counts).toEqual(counts({ messages: 1, media: 1 }));
      const stored = event.result.media[seeded.id];
      await expectStoredFile(stored, data, 'image/jpeg');
      expect(stored.size).toBe(seeded.size);
      expect(stored.sha256).toBe(seeded.sha256);
      expect(stored.key).toContain(wa.id);
    });

    it('retries a media download that fails once, then stores the file', async () => {
      const wa = await connectWhatsapp(t, owner);
      const data = Buffer.from(`retried image ${randomUUID()}`);
      const seeded = media.put('whatsapp', { data, contentType: 'image/jpeg' });
      await t.http().post('/sandbox/faults').send({ provider: 'whatsapp', status: 500, match: `download/${seeded.id}`, times: 1 }).expect(201);
      const message = waImage(uid('RETRY'));
      message.image = { ...(message.image as Json), id: seeded.id, sha256: seeded.sha256 };
      const res = await postWhatsapp(t, wa.id, waInbound(message), wa.appSecret).expect(200);
      const [event] = (await processed(wa.id, [res.body.eventId])).values();
      expect(event.result.counts).toEqual(counts({ messages: 1, media: 1 }));
      await expectStoredFile(event.result.media[seeded.id], data, 'image/jpeg');
      // Retried inside the one processing run, not by failing the whole webhook job.
      expect(event.attempts).toBe(1);
      // The failed answer and the successful retry both reached the fake Graph API.
      const recorded = (await t.http().get('/sandbox/requests?provider=whatsapp').expect(200)).body.data as { path: string; status?: number }[];
      expect(recorded.filter((r) => r.path.includes(`download/${seeded.id}`))).toHaveLength(2);
      expect((await t.http().get('/sandbox/faults').expect(200)).body.data).not.toContainEqual(expect.objectContaining({ match: `download/${seeded.id}` }));
    });
  });

  describe('Telegram', () => {
    function seeded(contentType: string, filename?: string) {
      const data = Buffer.from(`telegram ${contentType} ${randomUUID()}`);
      return { data, file: media.put('telegram', { data, contentType, ...(filename ? { filename } : {}) }) };
    }

    it('processes every update kind with matching result counts; a wrong secret is 401 and stores nothing', async () => {
      const tg = await connectTelegram(t, owner);
      const photo = seeded('image/jpeg');
      const doc = seeded('application/pdf', 'Rechnung-1042.pdf');
      const voice = seeded('audio/ogg');
      const photoUpdate = clone(tgPhotoUpdate()) as Json;
      photoUpdate.message.photo.at(-1).file_id = photo.file.id;
      const documentUpdate = clone(tgDocumentUpdate()) as Json;
      documentUpdate.message.document.file_id = doc.file.id;
      const voiceUpdate = clone(tgVoiceUpdate()) as Json;
      voiceUpdate.message.voice.file_id = voice.file.id;
      const cases: [string, Json, Counts][] = [
        ['message', tgTextUpdate(), counts({ messages: 1 })],
        ['edited_message', tgEditedUpdate(), counts({ edits: 1 })],
        ['photo', photoUpdate, counts({ messages: 1, media: 1 })],
        ['document', documentUpdate, counts({ messages: 1, media: 1 })],
        ['voice', voiceUpdate, counts({ messages: 1, media: 1 })],
        ['contact share', tgContactUpdate(), counts({ messages: 1 })],
        ['location', tgLocationUpdate(), counts({ messages: 1 })],
        ['callback_query', tgCallbackQueryUpdate(), counts({ messages: 1 })],
        ['message_reaction', tgReactionUpdate(), counts({ reactions: 1 })],
      ];
      const ids: string[] = [];
      const expected = new Map<string, [string, Counts]>();
      for (const [name, update, want] of cases) {
        await postTelegram(t, tg.id, update, `${tg.secret}x`).expect(401).expect((r) => expect([name, r.body.code]).toEqual([name, 'invalid_signature']));
        await t.http().post(`/v1/webhooks/telegram/${tg.id}`).set('content-type', 'application/json').send(JSON.stringify(update)).expect(401);
        const res = await postTelegram(t, tg.id, update, tg.secret).expect(200);
        expect([name, res.body.status]).toEqual([name, 'pending']);
        ids.push(res.body.eventId);
        expected.set(res.body.eventId, [name, want]);
      }
      const events = await processed(tg.id, ids);
      for (const [id, [name, want]] of expected) expect([name, events.get(id)!.result.counts]).toEqual([name, want]);
      const byName = (name: string) => events.get([...expected].find(([, [n]]) => n === name)![0])!;
      await expectStoredFile(byName('document').result.media[doc.file.id], doc.data, 'application/pdf');
      expect(byName('document').result.media[doc.file.id].filename).toBe('Rechnung-1042.pdf');
      await expectStoredFile(byName('voice').result.media[voice.file.id], voice.data, 'audio/ogg');
      expect(byName('edited_message').result.parsed.edits[0]).toMatchObject({ text: 'Hallo, wo ist meine Bestellung #1042?' });
    }, 60_000);

    it('downloads the largest photo size through getFile into STORAGE_DIR', async () => {
      const tg = await connectTelegram(t, owner);
      const { data, file } = seeded('image/jpeg');
      const update = clone(tgPhotoUpdate()) as Json;
      update.update_id = 900_000_000 + Math.floor(Math.random() * 1e6);
      update.message.photo.at(-1).file_id = file.id;
      const res = await postTelegram(t, tg.id, update, tg.secret).expect(200);
      const [event] = (await processed(tg.id, [res.body.eventId])).values();
      expect(event.result.counts).toEqual(counts({ messages: 1, media: 1 }));
      const stored = event.result.media[file.id];
      await expectStoredFile(stored, data, 'image/jpeg');
      expect(stored.sha256).toBe(file.sha256);
      // The sandbox saw the getFile call and the download (bot token never stored in the result).
      const recorded = (await t.http().get('/sandbox/requests?provider=telegram').expect(200)).body.data as { path: string }[];
      expect(recorded.some((r) => /\/getFile\?file_id=/.test(r.path) && r.path.includes(encodeURIComponent(file.id)))).toBe(true);
      expect(recorded.some((r) => r.path.endsWith(`/${file.filePath}`))).toBe(true);
      expect(JSON.stringify(event.result)).not.toContain(tg.botToken);
    });
  });

  describe('Postmark', () => {
    it('processes inbound and every event RecordType with matching result counts; wrong credentials are 401 and store nothing', async () => {
      const pm = await connectEmail(t, owner);
      const wrong = `Basic ${Buffer.from('pm_wrong:wrong-password').toString('base64')}`;
      const user = Buffer.from(pm.authorization.slice(6), 'base64').toString().split(':')[0];
      const wrongPassword = `Basic ${Buffer.from(`${user}:not-it`).toString('base64')}`;
      const cases: [string, 'inbound' | 'events', Json, Counts][] = [
        ['inbound with attachments', 'inbound', postmarkInbound({ MessageID: randomUUID() }), counts({ messages: 1, media: 2 })],
        ['Delivery', 'events', postmarkDelivery(), counts({ statuses: 1 })],
        ['Bounce', 'events', postmarkHardBounce(), counts({ statuses: 1 })],
        ['SpamComplaint', 'events', postmarkSpamComplaint(), counts({ statuses: 1, consents: 1 })],
        ['SubscriptionChange', 'events', postmarkSubscriptionChange(true), counts({ consents: 1 })],
        // A reactivation by the business is not the person's consent: processed, nothing produced.
        ['SubscriptionChange (reactivated)', 'events', postmarkSubscriptionChange(false), counts({})],
        // Opens and clicks are known events that never change a message: processed, nothing produced.
        ['Open', 'events', postmarkOpen(), counts({})],
        ['Click', 'events', postmarkClick(), counts({})],
      ];
      const ids: string[] = [];
      const expected = new Map<string, [string, Counts]>();
      for (const [name, kind, payload, want] of cases) {
        for (const auth of [wrong, wrongPassword, 'Bearer something']) {
          await postPostmark(t, pm.id, kind, payload, auth).expect(401).expect((r) => expect([name, r.body.code]).toEqual([name, 'invalid_signature']));
        }
        await t.http().post(`/v1/webhooks/postmark/${pm.id}/${kind}`).set('content-type', 'application/json').send(JSON.stringify(payload)).expect(401);
        const res = await postPostmark(t, pm.id, kind, payload, pm.authorization).expect(200);
        expect([name, res.body.status]).toEqual([name, 'pending']);
        ids.push(res.body.eventId);
        expected.set(res.body.eventId, [name, want]);
      }
      const events = await processed(pm.id, ids);
      for (const [id, [name, want]] of expected) expect([name, events.get(id)!.result.counts]).toEqual([name, want]);
      const spam = events.get([...expected].find(([, [n]]) => n === 'SpamComplaint')![0])!;
      expect(spam.result.parsed.consents[0]).toMatchObject({ status: 'opted_out', reason: 'spam_complaint', evidence: { id: '4323372036854775808' } });
    }, 60_000);

    it('deduplicates 19-digit bounce IDs exactly: bounces differing only in the last digit are two rows', async () => {
      const pm = await connectEmail(t, owner);
      // Postmark sends the ID as a JSON number; 4323372036854775807 and …808 are the same IEEE double.
      const raw = (id: string) => JSON.stringify(postmarkHardBounce({ ID: 'BOUNCE_ID' })).replace('"BOUNCE_ID"', id);
      const post = (body: string) =>
        t.http().post(`/v1/webhooks/postmark/${pm.id}/events`).set('content-type', 'application/json').set('authorization', pm.authorization).send(body);
      const first = await post(raw('4323372036854775807')).expect(200);
      const second = await post(raw('4323372036854775808')).expect(200);
      const again = await post(raw('4323372036854775807')).expect(200);
      expect([first.body.duplicate, second.body.duplicate, again.body.duplicate]).toEqual([false, false, true]);
      const events = await processed(pm.id, [first.body.eventId, second.body.eventId]);
      const keys = await sql<{ key: string }>('select key from webhook_dedupe where channel_id = $1 order by key', [pm.id]);
      expect(keys.map((k) => k.key)).toEqual(['pm:Bounce:4323372036854775807', 'pm:Bounce:4323372036854775808']);
      // The ledger shows each event's own ID, not a rounded one (exact digits, as a string).
      expect(events.get(first.body.eventId)!.payload.ID).toBe('4323372036854775807');
      expect(events.get(second.body.eventId)!.payload.ID).toBe('4323372036854775808');
    });

    it('stores base64 attachments (including inline cid parts) into STORAGE_DIR', async () => {
      const pm = await connectEmail(t, owner);
      const pdf = Buffer.from(`%PDF-1.4 invoice ${randomUUID()}`);
      const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(randomUUID())]);
      const payload = postmarkInbound({
        MessageID: randomUUID(),
        Attachments: [
          { Name: 'invoice.pdf', Content: pdf.toString('base64'), ContentType: 'application/pdf', ContentLength: pdf.length },
          { Name: 'logo.png', Content: png.toString('base64'), ContentType: 'image/png', ContentLength: png.length, ContentID: 'logo@acme' },
        ],
      });
      const res = await postPostmark(t, pm.id, 'inbound', payload, pm.authorization).expect(200);
      const [event] = (await processed(pm.id, [res.body.eventId])).values();
      expect(event.result.counts).toEqual(counts({ messages: 1, media: 2 }));
      await expectStoredFile(event.result.media['invoice.pdf'], pdf, 'application/pdf');
      expect(event.result.media['invoice.pdf'].filename).toBe('invoice.pdf');
      await expectStoredFile(event.result.media['logo@acme'], png, 'image/png');
    });
  });
});
