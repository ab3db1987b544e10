import { processed } from '../utils/conversations';
import { Account, PASSWORD, uniqueEmail } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

/**
 * The README's walk-through, request for request: sign up, connect WhatsApp and email in sandbox
 * mode, record the customer once, let them write on both channels through the sandbox, and read
 * the one conversation that results. (Only the sign-up email is made unique for the shared test database.)
 */
describe('README walk-through: a customer on two channels is one conversation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('runs the documented commands', async () => {
    // curl -s -X POST localhost:3000/v1/auth/signup -H 'content-type: application/json' \
    //   -d '{"email":"owner@acme.example","password":"correct-horse-battery","name":"Ola Owner","workspaceName":"Acme"}'
    const ownerEmail = uniqueEmail('owner');
    const signup = await t.http().post('/v1/auth/signup').send({ email: ownerEmail, password: PASSWORD, name: 'Ola Owner', workspaceName: 'Acme' }).expect(201);
    const auth = { Authorization: `Bearer ${signup.body.accessToken}` };
    const wid = signup.body.workspace.id as string;
    const owner: Account = { userId: signup.body.user.id, email: ownerEmail, workspaceId: wid, accessToken: signup.body.accessToken, refreshToken: signup.body.refreshToken, auth };

    // curl -s -X POST localhost:3000/v1/workspaces/$WID/channels -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    //   -d '{"type":"whatsapp","name":"WhatsApp","config":{"phoneNumberId":"106540352242922","businessAccountId":"102290129340398","accessToken":"EAAG-sandbox","appSecret":"sandbox-app-secret"}}'
    const whatsapp = await t
      .http()
      .post(`/v1/workspaces/${wid}/channels`)
      .set(auth)
      .send({ type: 'whatsapp', name: 'WhatsApp', config: { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAG-sandbox', appSecret: 'sandbox-app-secret' } })
      .expect(201);
    // curl -s -X POST localhost:3000/v1/workspaces/$WID/channels -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    //   -d '{"type":"email","name":"Support","config":{"serverToken":"pm-sandbox","fromAddress":"support@acme.example","inboundAddress":"support@inbound.acme.example"}}'
    const email = await t
      .http()
      .post(`/v1/workspaces/${wid}/channels`)
      .set(auth)
      .send({ type: 'email', name: 'Support', config: { serverToken: 'pm-sandbox', fromAddress: 'support@acme.example', inboundAddress: 'support@inbound.acme.example' } })
      .expect(201);

    // curl -s -X POST localhost:3000/v1/workspaces/$WID/contacts -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    //   -d '{"name":"Jane Doe","identifiers":[{"kind":"whatsapp","value":"4915112345678"},{"kind":"email","value":"jane@customer.example"}]}'
    const jane = await t
      .http()
      .post(`/v1/workspaces/${wid}/contacts`)
      .set(auth)
      .send({ name: 'Jane Doe', identifiers: [{ kind: 'whatsapp', value: '4915112345678' }, { kind: 'email', value: 'jane@customer.example' }] })
      .expect(201);

    // curl -s -X POST localhost:3000/sandbox/channels/$WHATSAPP_ID/inbound -H 'content-type: application/json' \
    //   -d '{"from":"4915112345678","name":"Jane Doe","text":"Hi, where is my order #1042?"}'
    const onWhatsapp = await t.http().post(`/sandbox/channels/${whatsapp.body.id}/inbound`).send({ from: '4915112345678', name: 'Jane Doe', text: 'Hi, where is my order #1042?' }).expect(200);
    expect(onWhatsapp.body).toMatchObject({ webhookStatus: 200, webhookResponse: { duplicate: false, status: 'pending' } });
    await processed(t, owner, whatsapp.body.id, onWhatsapp);
    // curl -s -X POST localhost:3000/sandbox/channels/$EMAIL_ID/inbound -H 'content-type: application/json' \
    //   -d '{"from":"jane@customer.example","subject":"Order 1042","text":"The invoice is attached to my first mail."}'
    const byEmail = await t.http().post(`/sandbox/channels/${email.body.id}/inbound`).send({ from: 'jane@customer.example', subject: 'Order 1042', text: 'The invoice is attached to my first mail.' }).expect(200);
    await processed(t, owner, email.body.id, byEmail);

    // curl -s localhost:3000/v1/workspaces/$WID/conversations -H "authorization: Bearer $TOKEN"
    const conversations = await t.http().get(`/v1/workspaces/${wid}/conversations`).set(auth).expect(200);
    expect(conversations.body.data).toHaveLength(1);
    const [conversation] = conversations.body.data;
    expect(conversation).toMatchObject({ contact: { id: jane.body.id, name: 'Jane Doe' }, status: 'open' });
    expect(conversation.channels.map((c: { type: string }) => c.type).sort()).toEqual(['email', 'whatsapp']);

    // curl -s localhost:3000/v1/workspaces/$WID/conversations/$CONVERSATION_ID/messages -H "authorization: Bearer $TOKEN"
    const messages = await t.http().get(`/v1/workspaces/${wid}/conversations/${conversation.id}/messages`).set(auth).expect(200);
    expect(messages.body.data.map((m: { channelId: string; type: string; text: string }) => [m.channelId, m.type, m.text])).toEqual([
      [whatsapp.body.id, 'text', 'Hi, where is my order #1042?'],
      [email.body.id, 'email', 'The invoice is attached to my first mail.'],
    ]);

    // curl -s "localhost:3000/v1/workspaces/$WID/search?q=invoice" -H "authorization: Bearer $TOKEN"
    const search = await t.http().get(`/v1/workspaces/${wid}/search`).query({ q: 'invoice' }).set(auth).expect(200);
    expect(search.body.data).toEqual([expect.objectContaining({ type: 'message', conversationId: conversation.id })]);
  });
});
