import { randomUUID } from 'node:crypto';
import { postmarkSpamComplaint, postmarkSubscriptionChange } from '../../src/modules/channels/adapters/postmark/fixtures';
import { connectEmail, connectWhatsapp, postPostmark, waitForLedger } from '../utils/channels';
import { contactWith, sandboxInbound } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

describe('compliance: consent from inbound keywords and provider signals', () => {
  let t: TestApp;
  let owner: Account;
  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  const consents = async (contactId: string) =>
    (await t.http().get(`/v1/workspaces/${owner.workspaceId}/contacts/${contactId}/consents`).set(owner.auth).expect(200)).body;

  it('opts out on "stop", " Stop " and "ARRET" as the whole message, and back in on "START"', async () => {
    const wa = await connectWhatsapp(t, owner);
    for (const [i, keyword] of ['stop', ' Stop ', 'ARRET'].entries()) {
      const from = `49151${Math.floor(1e7 + Math.random() * 9e7)}`;
      await sandboxInbound(t, owner, wa.id, { from, text: 'Hello there' });
      const contact = await contactWith(t, owner, from);
      expect((await consents(contact.id)).current.whatsapp).toBeUndefined();
      await sandboxInbound(t, owner, wa.id, { from, text: keyword });
      const after = await consents(contact.id);
      expect(after.current.whatsapp).toMatchObject({ status: 'opted_out', source: 'inbound_keyword' });
      if (i === 0) {
        // A sentence that merely contains the word changes nothing.
        await sandboxInbound(t, owner, wa.id, { from, text: 'please stop by tomorrow' });
        expect((await consents(contact.id)).current.whatsapp.status).toBe('opted_out');
        await sandboxInbound(t, owner, wa.id, { from, text: 'START' });
        expect((await consents(contact.id)).current.whatsapp).toMatchObject({ status: 'opted_in', source: 'inbound_keyword' });
      }
    }
    const audit = await t.http().get(`/v1/workspaces/${owner.workspaceId}/audit-events?action=consent.changed`).set(owner.auth).expect(200);
    expect(audit.body.data.length).toBeGreaterThanOrEqual(4);
    expect(audit.body.data[0].actor).toEqual({ type: 'provider', id: 'whatsapp' });
  });

  it('opts an email address out on Postmark SubscriptionChange (SuppressSending) and SpamComplaint', async () => {
    const pm = await connectEmail(t, owner);
    const suppressed = `sub-${randomUUID().slice(0, 8)}@customer.example`;
    const complainer = `spam-${randomUUID().slice(0, 8)}@customer.example`;
    for (const email of [suppressed, complainer]) await sandboxInbound(t, owner, pm.id, { from: email, text: 'Hi' });
    await postPostmark(t, pm.id, 'events', postmarkSubscriptionChange(true, { Recipient: suppressed, ChangedAt: new Date().toISOString() }), pm.authorization).expect(200);
    await postPostmark(t, pm.id, 'events', postmarkSpamComplaint({ Email: complainer, ID: String(Date.now()) }), pm.authorization).expect(200);
    await waitForLedger(t, owner, pm.id, (e) => e.filter((x) => x.kind === 'events' && x.status === 'processed').length === 2);
    for (const email of [suppressed, complainer]) {
      const contact = await contactWith(t, owner, email);
      expect((await consents(contact.id)).current.email).toMatchObject({ status: 'opted_out', source: 'provider' });
    }

    // The business reactivating the address in Postmark is not the person's consent: still opted out.
    const contact = await contactWith(t, owner, suppressed);
    const before = (await consents(contact.id)).data.length;
    await postPostmark(t, pm.id, 'events', postmarkSubscriptionChange(false, { Recipient: suppressed, ChangedAt: new Date(Date.now() + 1000).toISOString() }), pm.authorization).expect(200);
    await waitForLedger(t, owner, pm.id, (e) => e.filter((x) => x.kind === 'events' && x.status === 'processed').length === 3);
    const after = await consents(contact.id);
    expect(after.current.email).toMatchObject({ status: 'opted_out', source: 'provider' });
    expect(after.data).toHaveLength(before);
  });

  it('shows the WhatsApp window per channel, measured from the provider timestamp', async () => {
    const wa = await connectWhatsapp(t, owner);
    const from = `49152${Math.floor(1e7 + Math.random() * 9e7)}`;
    await sandboxInbound(t, owner, wa.id, { from, text: 'Where is my parcel?' });
    const contact = await contactWith(t, owner, from);
    const list = await t.http().get(`/v1/workspaces/${owner.workspaceId}/conversations`).query({ contactId: contact.id }).set(owner.auth).expect(200);
    const conversation = await t.http().get(`/v1/workspaces/${owner.workspaceId}/conversations/${list.body.data[0].id}`).set(owner.auth).expect(200);
    const channel = conversation.body.channels.find((c: { channelId: string }) => c.channelId === wa.id);
    expect(channel.whatsappWindow.open).toBe(true);
    const expires = new Date(channel.whatsappWindow.expiresAt).getTime();
    // The sandbox stamps the message with the current second; the window is 24 h from that stamp.
    expect(Math.abs(expires - (Date.now() + 24 * 3600 * 1000))).toBeLessThan(60_000);
  });

  it('uses the workspace-configured keyword list instead of the defaults', async () => {
    const other = await signup(t, 'keywords');
    await t.http().patch(`/v1/workspaces/${other.workspaceId}`).set(other.auth).send({ settings: { optOutKeywords: ['HALT', 'Schluss'], optInKeywords: ['GO'] } }).expect(200);
    const wa = await connectWhatsapp(t, other);
    const from = `49153${Math.floor(1e7 + Math.random() * 9e7)}`;
    await sandboxInbound(t, other, wa.id, { from, text: 'STOP' });
    const contact = await contactWith(t, other, from);
    const get = async () => (await t.http().get(`/v1/workspaces/${other.workspaceId}/contacts/${contact.id}/consents`).set(other.auth).expect(200)).body.current;
    expect((await get()).whatsapp).toBeUndefined();
    await sandboxInbound(t, other, wa.id, { from, text: ' schluss ' });
    expect((await get()).whatsapp).toMatchObject({ status: 'opted_out' });
    await sandboxInbound(t, other, wa.id, { from, text: 'go' });
    expect((await get()).whatsapp).toMatchObject({ status: 'opted_in' });
    await t.http().patch(`/v1/workspaces/${other.workspaceId}`).set(other.auth).send({ settings: { optOutKeywords: ['x'.repeat(51)] } }).expect(400);
  });
});
