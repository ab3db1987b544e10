import { randomInt, randomUUID } from 'node:crypto';
import { postmarkDelivery, postmarkHardBounce, postmarkSpamComplaint } from '../../src/modules/channels/adapters/postmark/fixtures';
import { connectEmail, postPostmark } from '../utils/channels';
import { contactWith, conversationOf, processed, sandboxInbound } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

type Json = Record<string, any>;

jest.setTimeout(30_000);

/** Postmark delivery events on our outbound mail: hard bounces and complaints fail it, soft bounces do not. */
describe('Postmark bounce and complaint events', () => {
  let t: TestApp;
  let owner: Account;
  let pm: Awaited<ReturnType<typeof connectEmail>>;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    pm = await connectEmail(t, owner);
  });
  afterAll(() => t.close());

  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const getMessage = async (id: string): Promise<Json> => (await t.http().get(ws(`/messages/${id}`)).set(owner.auth).expect(200)).body;
  const send = (conversationId: string, text: string) => t.http().post(ws(`/conversations/${conversationId}/messages`)).set(owner.auth).send({ text });
  const event = async (payload: Json) => processed(t, owner, pm.id, await postPostmark(t, pm.id, 'events', payload, pm.authorization).expect(200));
  const bounceId = () => String(randomInt(1, 2 ** 47));

  async function sentEmail() {
    const email = `pm-${randomUUID().slice(0, 8)}@customer.example`;
    await sandboxInbound(t, owner, pm.id, { from: email, text: 'Hello', subject: 'Question' });
    const contact = await contactWith(t, owner, email);
    const conversation = await conversationOf(t, owner, contact.id);
    const res = await send(conversation.id, 'Answer').expect(202);
    for (let i = 0; i < 100; i++) {
      const m = await getMessage(res.body.id);
      if (m.status === 'sent') return { email, contact, conversation, message: m };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the email was never sent');
  }

  const about = (s: Awaited<ReturnType<typeof sentEmail>>, at: Date) => ({ MessageID: s.message.providerMessageId, Metadata: { messageId: s.message.id }, Email: s.email, BouncedAt: at.toISOString() });

  it('a spam complaint fails a message that was already delivered and opts the address out', async () => {
    const s = await sentEmail();
    const deliveredAt = new Date();
    await event(postmarkDelivery({ MessageID: s.message.providerMessageId, Metadata: { messageId: s.message.id }, Recipient: s.email, DeliveredAt: deliveredAt.toISOString() }));
    expect((await getMessage(s.message.id)).status).toBe('delivered');

    await event(postmarkSpamComplaint({ ID: bounceId(), ...about(s, new Date(deliveredAt.getTime() + 60_000)) }));
    const failed = await getMessage(s.message.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'spam_complaint', retryable: false });
    expect(failed.statusHistory.map((h: Json) => h.status)).toEqual(['queued', 'sent', 'delivered', 'failed']);
    const consents = (await t.http().get(ws(`/contacts/${s.contact.id}/consents`)).set(owner.auth).expect(200)).body;
    expect(consents.current.email).toMatchObject({ status: 'opted_out', source: 'provider' });
    expectProblem(await send(s.conversation.id, 'Sorry!'), 422, 'contact_opted_out');
  });

  it('a late Delivery after the complaint changes nothing', async () => {
    const s = await sentEmail();
    await event(postmarkSpamComplaint({ ID: bounceId(), ...about(s, new Date(Date.now() + 60_000)) }));
    await event(postmarkDelivery({ MessageID: s.message.providerMessageId, Metadata: { messageId: s.message.id }, Recipient: s.email, DeliveredAt: new Date().toISOString() }));
    expect((await getMessage(s.message.id)).status).toBe('failed');
  });

  it.each([
    ['SoftBounce', 4096],
    ['Transient', 2],
    ['DnsError', 256],
  ])('a %s bounce neither fails the message nor makes the address unreachable', async (Type, TypeCode) => {
    const s = await sentEmail();
    await event(postmarkHardBounce({ ID: bounceId(), Type, TypeCode, Name: 'Soft bounce', Inactive: false, ...about(s, new Date()) }));
    const after = await getMessage(s.message.id);
    expect(after.status).toBe('sent');
    expect(after.error ?? null).toBeNull();
    const contact = (await t.http().get(ws(`/contacts/${s.contact.id}`)).set(owner.auth).expect(200)).body;
    expect(contact.identifiers.find((i: Json) => i.value === s.email)).toMatchObject({ undeliverable: false });
    await send(s.conversation.id, 'Trying again').expect(202);
  });

  it('a hard bounce after delivery is not a complaint: the delivered message stays delivered, the address becomes unreachable', async () => {
    const s = await sentEmail();
    await event(postmarkDelivery({ MessageID: s.message.providerMessageId, Metadata: { messageId: s.message.id }, Recipient: s.email, DeliveredAt: new Date().toISOString() }));
    await event(postmarkHardBounce({ ID: bounceId(), ...about(s, new Date()) }));
    expect((await getMessage(s.message.id)).status).toBe('delivered');
    expectProblem(await send(s.conversation.id, 'Still there?'), 422, 'recipient_unreachable');
  });
});
