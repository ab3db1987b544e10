import { createHash, randomInt, randomUUID } from 'node:crypto';
import { connectEmail, connectTelegram, connectWhatsapp } from '../utils/channels';
import { allMessages } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { customerConversation, sandboxRequests, settledMessage } from '../utils/outbound';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

type Json = Record<string, any>;

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('sandbox logo bytes')]);
const PDF = Buffer.from('%PDF-1.4\n% invoice 1042\n%%EOF\n');
const HTML = '<p>Your invoice for order <b>#1042</b> is attached.</p>';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const attachment = (filename: string, contentType: string, data: Buffer) => ({ filename, contentType, contentBase64: data.toString('base64') });
/** How the fakes record a multipart file part. */
const recordedFile = (filename: string, contentType: string, data: Buffer) => ({ filename, contentType, size: data.length, sha256: sha256(data) });
const MULTIPART = /^multipart\/form-data; boundary=\S+$/;

jest.setTimeout(30_000);

/** What each provider fake received for media and HTML sends, header by header and field by field (PROVIDERS.md A4, B4, C3). */
describe('outbound provider payloads', () => {
  let t: TestApp;
  let owner: Account;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  const send = (conversationId: string, body: Json) =>
    t.http().post(`/v1/workspaces/${owner.workspaceId}/conversations/${conversationId}/messages`).set(owner.auth).send(body);
  const sent = (id: string) => settledMessage(t, owner, id, 'sent');

  it('Postmark: TextBody, HtmlBody and two base64 attachments, with the token, Accept and Content-Type headers', async () => {
    const pm = await connectEmail(t, owner);
    const email = `ana-${randomUUID().slice(0, 8)}@customer.example`;
    const { conversation, messages } = await customerConversation(t, owner, pm.id, { from: email, text: 'Can I have the invoice?', subject: 'Invoice 1042' });
    const parentId = messages[0].email.messageId as string;

    const res = await send(conversation.id, {
      text: 'Your invoice for order #1042 is attached.',
      html: HTML,
      subject: 'Your invoice 1042',
      attachments: [attachment('invoice-1042.pdf', 'application/pdf', PDF), attachment('logo.png', 'image/png', PNG)],
    }).expect(202);
    const emailView = { textBody: 'Your invoice for order #1042 is attached.', htmlBody: HTML, inReplyTo: parentId, references: [parentId] };
    expect(res.body.email).toEqual(emailView);
    expect((await sent(res.body.id)).email).toEqual(emailView);

    const requests = (await sandboxRequests(t, 'postmark')).filter((r) => r.body?.Metadata?.messageId === res.body.id);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/sandbox/postmark/email', status: 200 });
    expect(request.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'x-postmark-server-token': pm.serverToken });
    expect(request.body).toEqual({
      From: 'support@acme.example',
      To: email,
      Subject: 'Your invoice 1042',
      TextBody: 'Your invoice for order #1042 is attached.',
      HtmlBody: HTML,
      ReplyTo: expect.stringMatching(/^support\+[0-9a-f]{20}@inbound\.acme\.example$/),
      Headers: [
        { Name: 'In-Reply-To', Value: `<${parentId}>` },
        { Name: 'References', Value: `<${parentId}>` },
      ],
      MessageStream: 'outbound',
      Metadata: { messageId: res.body.id },
      Attachments: [
        { Name: 'invoice-1042.pdf', Content: PDF.toString('base64'), ContentType: 'application/pdf' },
        { Name: 'logo.png', Content: PNG.toString('base64'), ContentType: 'image/png' },
      ],
    });
  });

  it('the 202 answer is the message exactly as GET shows it while queued (attachments included)', async () => {
    const pm = await connectEmail(t, owner);
    const email = `eli-${randomUUID().slice(0, 8)}@customer.example`;
    const { conversation } = await customerConversation(t, owner, pm.id, { from: email, text: 'Invoice please', subject: 'Invoice' });
    // Postmark holds this send, so the message is still queued when we read it back.
    await t.http().post('/sandbox/faults').send({ provider: 'postmark', match: '/email', delayMs: 3000, times: 1 }).expect(201);
    const res = await send(conversation.id, { text: 'Attached.', attachments: [attachment('invoice.pdf', 'application/pdf', PDF)] }).expect(202);
    const read = (await t.http().get(`/v1/workspaces/${owner.workspaceId}/messages/${res.body.id}`).set(owner.auth).expect(200)).body;
    expect(read.status).toBe('queued');
    expect(res.body).toEqual({ ...read, attempts: [] });
    expect(res.body.attachments).toEqual([{ id: expect.any(String), filename: 'invoice.pdf', contentType: 'application/pdf', size: PDF.length }]);
    await sent(res.body.id);
  });

  it('html alone is an email (HtmlBody, no TextBody); on other channels it answers 422 like subject and queues nothing', async () => {
    const pm = await connectEmail(t, owner);
    const email = `ben-${randomUUID().slice(0, 8)}@customer.example`;
    const { conversation } = await customerConversation(t, owner, pm.id, { from: email, text: 'Hello', subject: 'Question' });
    const res = await send(conversation.id, { html: HTML }).expect(202);
    const message = await sent(res.body.id);
    expect(message).toMatchObject({ text: null, subject: 'Re: Question', email: { htmlBody: HTML } });
    expect(message.email.textBody).toBeUndefined();
    const [request] = (await sandboxRequests(t, 'postmark')).filter((r) => r.body?.Metadata?.messageId === res.body.id);
    expect(request.body.HtmlBody).toBe(HTML);
    expect(request.body).not.toHaveProperty('TextBody');

    const wa = await connectWhatsapp(t, owner);
    const waConversation = (await customerConversation(t, owner, wa.id, { from: `49151${randomInt(10_000_000, 99_999_999)}`, text: 'Hi' })).conversation;
    for (const body of [{ text: 'Hi', html: HTML }, { html: HTML }]) {
      const refused = await send(waConversation.id, body);
      expectProblem(refused, 422, 'validation_failed');
      expect(refused.body.errors).toEqual([{ field: 'html', message: 'html is only for email channels.' }]);
    }
    expect((await allMessages(t, owner, waConversation.id)).filter((m) => m.direction === 'outbound')).toHaveLength(0);
  });

  it('WhatsApp: image and document are uploaded to /{phone-number-id}/media as multipart, then sent by media id', async () => {
    const wa = await connectWhatsapp(t, owner);
    const from = `49151${randomInt(10_000_000, 99_999_999)}`;
    const { conversation, messages } = await customerConversation(t, owner, wa.id, { from, text: 'Send me the invoice' });
    const quoted = messages[0];
    // One after the other, so the uploads are recorded in the order of the sends.
    const image = await send(conversation.id, { text: 'Our logo', attachments: [attachment('logo.png', 'image/png', PNG)] }).expect(202);
    await sent(image.body.id);
    const document = await send(conversation.id, { text: 'Your invoice', attachments: [attachment('invoice-1042.pdf', 'application/pdf', PDF)], replyToMessageId: quoted.id }).expect(202);
    await sent(document.body.id);

    const phoneNumberId = wa.body.config.phoneNumberId as string;
    const graph = await sandboxRequests(t, 'whatsapp');
    const uploads = graph.filter((r) => r.path === `/sandbox/graph/${phoneNumberId}/media`);
    const sends = [image, document].map((m) => graph.filter((r) => r.path === `/sandbox/graph/${phoneNumberId}/messages` && r.body?.biz_opaque_callback_data === m.body.id));
    expect(uploads).toHaveLength(2);
    expect(sends.map((s) => s.length)).toEqual([1, 1]);
    const [[imageSend], [documentSend]] = sends;

    const files = [recordedFile('logo.png', 'image/png', PNG), recordedFile('invoice-1042.pdf', 'application/pdf', PDF)];
    uploads.forEach((upload, i) => {
      expect(upload).toMatchObject({ method: 'POST', status: 200 });
      expect(upload.headers.authorization).toBe(`Bearer ${wa.accessToken}`);
      expect(upload.headers['content-type']).toMatch(MULTIPART);
      expect(upload.body).toEqual({ messaging_product: 'whatsapp', type: files[i].contentType, file: files[i] });
    });
    for (const request of [imageSend, documentSend]) {
      expect(request).toMatchObject({ method: 'POST', status: 200 });
      expect(request.headers).toMatchObject({ authorization: `Bearer ${wa.accessToken}`, 'content-type': 'application/json' });
    }
    expect(uploads[0].seq).toBeLessThan(imageSend.seq);
    expect(uploads[1].seq).toBeLessThan(documentSend.seq);

    const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: `+${from}` };
    expect(imageSend.body).toEqual({
      ...envelope,
      type: 'image',
      image: { id: expect.stringMatching(/^\d+$/), caption: 'Our logo' },
      biz_opaque_callback_data: image.body.id,
    });
    expect(documentSend.body).toEqual({
      ...envelope,
      type: 'document',
      document: { id: expect.stringMatching(/^\d+$/), caption: 'Your invoice', filename: 'invoice-1042.pdf' },
      context: { message_id: quoted.providerMessageId },
      biz_opaque_callback_data: document.body.id,
    });
    // Each id the message names is the file its upload carried.
    for (const [mediaId, data, mimeType] of [
      [imageSend.body.image.id, PNG, 'image/png'],
      [documentSend.body.document.id, PDF, 'application/pdf'],
    ] as const) {
      const info = await t.http().get(`/sandbox/graph/${mediaId}`).set('Authorization', `Bearer ${wa.accessToken}`).expect(200);
      expect(info.body).toMatchObject({ id: mediaId, mime_type: mimeType, sha256: sha256(data), file_size: data.length });
    }
  });

  it('Telegram: sendPhoto and sendDocument as multipart (chat_id, caption, the file), reply_parameters on a reply', async () => {
    const tg = await connectTelegram(t, owner);
    const userId = String(randomInt(100_000_000, 999_999_999));
    const { conversation, messages } = await customerConversation(t, owner, tg.id, { from: userId, text: 'Photo please' });
    const quoted = messages[0];
    const photo = await send(conversation.id, { text: 'Here it is', attachments: [attachment('logo.png', 'image/png', PNG)], replyToMessageId: quoted.id }).expect(202);
    expect((await sent(photo.body.id)).providerMessageId).toMatch(new RegExp(`^${userId}:\\d+$`));
    const document = await send(conversation.id, { text: 'And the invoice', attachments: [attachment('invoice-1042.pdf', 'application/pdf', PDF)] }).expect(202);
    expect((await sent(document.body.id)).providerMessageId).toMatch(new RegExp(`^${userId}:\\d+$`));

    const bot = `/sandbox/telegram/bot${tg.botToken.split(':')[0]}:***`;
    const calls = (await sandboxRequests(t, 'telegram')).filter((r) => r.body?.chat_id === userId);
    expect(calls.map((r) => r.path)).toEqual([`${bot}/sendPhoto`, `${bot}/sendDocument`]);
    for (const call of calls) {
      expect(call).toMatchObject({ method: 'POST', status: 200 });
      expect(call.headers['content-type']).toMatch(MULTIPART);
    }
    expect(calls[0].body).toEqual({
      chat_id: userId,
      caption: 'Here it is',
      // Bot API form fields that take objects are JSON-serialized.
      reply_parameters: JSON.stringify({ message_id: Number(quoted.providerMessageId.split(':')[1]) }),
      photo: recordedFile('logo.png', 'image/png', PNG),
    });
    expect(calls[1].body).toEqual({ chat_id: userId, caption: 'And the invoice', document: recordedFile('invoice-1042.pdf', 'application/pdf', PDF) });
  });

  it('Telegram: a text reply quotes its message with reply_parameters (Bot API 7.0+), never the deprecated reply_to_message_id', async () => {
    const tg = await connectTelegram(t, owner);
    const userId = String(randomInt(100_000_000, 999_999_999));
    const { conversation, messages } = await customerConversation(t, owner, tg.id, { from: userId, text: 'When does it ship?' });
    const quoted = messages[0];
    const reply = await send(conversation.id, { text: 'Tomorrow.', replyToMessageId: quoted.id }).expect(202);
    expect(await sent(reply.body.id)).toMatchObject({ replyToMessageId: quoted.id });
    const [call] = (await sandboxRequests(t, 'telegram')).filter((r) => r.body?.chat_id === userId && r.path.endsWith('/sendMessage'));
    expect(call.headers['content-type']).toMatch(/^application\/json/);
    expect(call.body).toEqual({ chat_id: userId, text: 'Tomorrow.', reply_parameters: { message_id: Number(quoted.providerMessageId.split(':')[1]) } });
  });
});
