import { randomInt } from 'node:crypto';
import { connectEmail, connectTelegram, connectWhatsapp } from '../utils/channels';
import { Account, signup } from '../utils/factories';
import { customerConversation, settledMessage } from '../utils/outbound';
import { startApp, TestApp } from '../utils/test-app';

/**
 * Issue 11, item 15: the sandbox plays the provider's side of a sent message too, signing and
 * posting the provider's own status webhook, so a walk-through reaches `delivered` and `read`.
 */
describe('the sandbox moves a sent message to delivered and read', () => {
  let t: TestApp;
  let owner: Account;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  /** A customer writes, an agent replies; answers the sent reply. */
  async function sentReply(channelId: string, from: string) {
    const { conversation } = await customerConversation(t, owner, channelId, { from, text: 'Where is my order?', subject: 'Order' });
    const reply = await t.http().post(`/v1/workspaces/${owner.workspaceId}/conversations/${conversation.id}/messages`).set(owner.auth).send({ text: 'On its way.' }).expect(202);
    return settledMessage(t, owner, reply.body.id, 'sent');
  }
  const status = (channelId: string, body: object) => t.http().post(`/sandbox/channels/${channelId}/status`).send(body);

  it('WhatsApp: a signed statuses[] webhook makes the reply delivered, then read', async () => {
    const wa = await connectWhatsapp(t, owner);
    const from = String(randomInt(10_000_000_000, 99_999_999_999));
    const sent = await sentReply(wa.id, from);
    expect(sent.providerMessageId).toMatch(/^wamid\./);

    const delivered = await status(wa.id, { providerMessageId: sent.providerMessageId, status: 'delivered', recipient: from }).expect(200);
    expect(delivered.body.webhookStatus).toBe(200);
    await settledMessage(t, owner, sent.id, 'delivered');
    await status(wa.id, { providerMessageId: sent.providerMessageId, status: 'read' }).expect(200);
    const read = await settledMessage(t, owner, sent.id, 'read');
    expect(read.statusHistory.map((h: { status: string }) => h.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
  });

  it('Postmark: a signed Delivery event makes the reply delivered; Postmark reports no reads (422)', async () => {
    const email = await connectEmail(t, owner);
    const address = `jane.${randomInt(1e9)}@customer.example`;
    const sent = await sentReply(email.id, address);

    // Postmark's Delivery names the recipient, so the sandbox needs it.
    expect((await status(email.id, { providerMessageId: sent.providerMessageId, status: 'delivered' }).expect(422)).body.errors).toEqual([expect.objectContaining({ field: 'recipient' })]);
    expect((await status(email.id, { providerMessageId: sent.providerMessageId, status: 'delivered', recipient: address }).expect(200)).body.webhookStatus).toBe(200);
    await settledMessage(t, owner, sent.id, 'delivered');
    const read = await status(email.id, { providerMessageId: sent.providerMessageId, status: 'read', recipient: address }).expect(422);
    expect(read.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(read.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'status' }] });
  });

  it('refuses what no provider reports, an unknown status and an unknown channel', async () => {
    const tg = await connectTelegram(t, owner);
    expect((await status(tg.id, { providerMessageId: '1', status: 'delivered' }).expect(422)).body.code).toBe('validation_failed');
    expect((await status(tg.id, { providerMessageId: '1', status: 'seen' }).expect(400)).body.code).toBe('validation_failed');
    expect((await status('0190f5b4-0000-7000-8000-000000000000', { providerMessageId: '1', status: 'read' }).expect(404)).body.code).toBe('not_found');
  });

  it('documents its routes with their body fields in the OpenAPI document', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const op = doc.paths['/sandbox/channels/{channelId}/status'].post;
    const schema = doc.components.schemas[op.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    expect(Object.keys(schema.properties).sort()).toEqual(['providerMessageId', 'recipient', 'status']);
    expect(schema.properties.status.enum).toEqual(['delivered', 'read']);
    expect(op.tags).toEqual(['sandbox']);
  });
});
