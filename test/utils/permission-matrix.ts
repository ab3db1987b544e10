import { randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import { connectEmail, connectWhatsapp } from './channels';
import { allMessages, contactWith, conversationOf, processed, sandboxInbound } from './conversations';
import { Account, uniqueEmail } from './factories';
import type { TestApp } from './test-app';
import { Creds, uniqueName } from './workspace-fixtures';

export type BuiltInRole = 'owner' | 'admin' | 'agent' | 'viewer';

/** Records of the owner's workspace that the content routes act on. */
export interface Seed {
  emailChannelId: string;
  whatsappChannelId: string;
  eventId: string;
  contactId: string;
  conversationId: string;
  messageId: string;
  outboundMessageId: string;
  attachmentId: string;
  /** A WhatsApp channel only the retry case sends on, so its injected provider failure hits nothing else. */
  retry: { phoneNumberId: string; conversationId: string };
}

export interface Fixture {
  t: TestApp;
  owner: Account;
  seed: Seed;
}

export interface RouteCase {
  route: string;
  /** The `action Subject` the route needs. */
  permission: string;
  /** The built-in roles API.md lets through. */
  allowed: readonly BuiltInRole[];
  /** The success status. */
  status: number;
  /** Prepares a fresh target with the owner's credentials, then calls the route as `as`. */
  call(f: Fixture, as: Creds): Promise<Response>;
  /** Undoes a success that would disturb the next cases. */
  undo?(f: Fixture): Promise<unknown>;
}

export const EVERYONE = ['owner', 'admin', 'agent', 'viewer'] as const;
export const MANAGERS = ['owner', 'admin'] as const;
export const OWNER_ONLY = ['owner'] as const;
/** API.md: agents read templates, send, update conversations and manage consents; viewers do none of it. */
const TEAM = ['owner', 'admin', 'agent'] as const;

export const ws = (f: Fixture, rest = '') => `/v1/workspaces/${f.owner.workspaceId}${rest}`;

const newWaId = () => `49151${randomInt(10_000_000, 99_999_999)}`;
const file = { filename: 'note.txt', contentType: 'text/plain', contentBase64: Buffer.from('hello').toString('base64') };

async function message(t: TestApp, owner: Account, id: string): Promise<{ status: string; attachments: { id: string }[] }> {
  return (await t.http().get(`/v1/workspaces/${owner.workspaceId}/messages/${id}`).set(owner.auth).expect(200)).body;
}

async function settled(t: TestApp, owner: Account, id: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (await message(t, owner, id)).status;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`message ${id} is ${last}, not ${status}`);
}

/** Channels, an inbound email conversation with its ledger event, an outbound attachment, a WhatsApp conversation for retries. */
export async function seedContent(t: TestApp, owner: Account): Promise<Seed> {
  const email = await connectEmail(t, owner);
  const from = uniqueEmail('customer');
  const inbound = await t.http().post(`/sandbox/channels/${email.id}/inbound`).send({ from, text: 'Where is my order?', subject: 'Order' }).expect(200);
  await processed(t, owner, email.id, inbound);
  const contact = await contactWith(t, owner, from);
  const conversation = await conversationOf(t, owner, contact.id);
  const [first] = await allMessages(t, owner, conversation.id);
  const sent = await t.http().post(`/v1/workspaces/${owner.workspaceId}/conversations/${conversation.id}/messages`).set(owner.auth).send({ text: 'Attached.', attachments: [file] }).expect(202);
  const [attachment] = (await message(t, owner, sent.body.id)).attachments;

  const whatsapp = await connectWhatsapp(t, owner);
  const retry = await connectWhatsapp(t, owner);
  const waId = newWaId();
  await sandboxInbound(t, owner, retry.id, { from: waId, text: 'Hello' });
  const retryConversation = await conversationOf(t, owner, (await contactWith(t, owner, waId)).id);
  return {
    emailChannelId: email.id,
    whatsappChannelId: whatsapp.id,
    eventId: inbound.body.eventId ?? inbound.body.webhookResponse?.eventId,
    contactId: contact.id,
    conversationId: conversation.id,
    messageId: first.id,
    outboundMessageId: sent.body.id,
    attachmentId: attachment.id,
    retry: { phoneNumberId: retry.body.config.phoneNumberId, conversationId: retryConversation.id },
  };
}

const newContact = async (f: Fixture): Promise<string> =>
  (await f.t.http().post(ws(f, '/contacts')).set(f.owner.auth).send({ identifiers: [{ kind: 'email', value: uniqueEmail('contact') }] }).expect(201)).body.id;

/** An outbound message the provider refused permanently, ready to be retried. */
async function failedMessage(f: Fixture): Promise<string> {
  const { phoneNumberId, conversationId } = f.seed.retry;
  await f.t.http().post('/sandbox/faults').send({ provider: 'whatsapp', status: 400, match: `/${phoneNumberId}/messages`, body: { error: { message: '(#131026) Message undeliverable', code: 131026 } } }).expect(201);
  const res = await f.t.http().post(ws(f, `/conversations/${conversationId}/messages`)).set(f.owner.auth).send({ text: 'Will fail' }).expect(202);
  await settled(f.t, f.owner, res.body.id, 'failed');
  return res.body.id;
}

/** Channels, templates, the ledger, contacts, consents, conversations, messages, search and attachments. */
export const CONTENT_ROUTES: RouteCase[] = [
  {
    route: 'POST /channels',
    permission: 'create Channel',
    allowed: MANAGERS,
    status: 201,
    call: (f, as) => f.t.http().post(ws(f, '/channels')).set(as).send({ type: 'email', name: 'Sales', config: { serverToken: uniqueName('pm'), fromAddress: 'sales@acme.example', inboundAddress: 'sales@inbound.acme.example' } }),
  },
  // Agents and viewers read channels too (to pick one to send on), without config or webhook.
  { route: 'GET /channels', permission: 'read Channel', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, '/channels')).set(as) },
  { route: 'GET /channels/{channelId}', permission: 'read Channel', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, `/channels/${f.seed.emailChannelId}`)).set(as) },
  {
    route: 'PATCH /channels/{channelId}',
    permission: 'update Channel',
    allowed: MANAGERS,
    status: 200,
    call: (f, as) => f.t.http().patch(ws(f, `/channels/${f.seed.emailChannelId}`)).set(as).send({ name: uniqueName('support') }),
  },
  {
    route: 'DELETE /channels/{channelId}',
    permission: 'delete Channel',
    allowed: MANAGERS,
    status: 204,
    call: async (f, as) => f.t.http().delete(ws(f, `/channels/${(await connectEmail(f.t, f.owner)).id}`)).set(as),
  },
  { route: 'GET /channels/{channelId}/templates', permission: 'read Template', allowed: TEAM, status: 200, call: (f, as) => f.t.http().get(ws(f, `/channels/${f.seed.whatsappChannelId}/templates`)).set(as) },
  {
    route: 'POST /channels/{channelId}/templates',
    permission: 'create Template',
    allowed: MANAGERS,
    status: 201,
    call: (f, as) =>
      f.t.http().post(ws(f, `/channels/${f.seed.whatsappChannelId}/templates`)).set(as).send({ name: uniqueName('notice').replace(/-/g, '_'), language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}' }], status: 'approved' }),
  },
  { route: 'GET /channels/{channelId}/webhook-events', permission: 'read WebhookEvent', allowed: MANAGERS, status: 200, call: (f, as) => f.t.http().get(ws(f, `/channels/${f.seed.emailChannelId}/webhook-events`)).set(as) },
  {
    route: 'POST /channels/{channelId}/webhook-events/{eventId}/replay',
    permission: 'update WebhookEvent',
    allowed: MANAGERS,
    status: 202,
    call: (f, as) => f.t.http().post(ws(f, `/channels/${f.seed.emailChannelId}/webhook-events/${f.seed.eventId}/replay`)).set(as),
  },
  { route: 'GET /contacts', permission: 'read Contact', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, '/contacts')).set(as) },
  { route: 'GET /contacts/{contactId}', permission: 'read Contact', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, `/contacts/${f.seed.contactId}`)).set(as) },
  {
    route: 'POST /contacts',
    permission: 'create Contact',
    allowed: MANAGERS,
    status: 201,
    call: (f, as) => f.t.http().post(ws(f, '/contacts')).set(as).send({ name: 'Ana', identifiers: [{ kind: 'email', value: uniqueEmail('ana') }] }),
  },
  {
    route: 'PATCH /contacts/{contactId}',
    permission: 'update Contact',
    allowed: MANAGERS,
    status: 200,
    call: async (f, as) => f.t.http().patch(ws(f, `/contacts/${await newContact(f)}`)).set(as).send({ name: 'Corrected' }),
  },
  {
    route: 'POST /contacts/{contactId}/identifiers',
    permission: 'update Contact',
    allowed: MANAGERS,
    status: 201,
    call: async (f, as) => f.t.http().post(ws(f, `/contacts/${await newContact(f)}/identifiers`)).set(as).send({ kind: 'email', value: uniqueEmail('second') }),
  },
  {
    route: 'POST /contacts/{contactId}/merge',
    permission: 'update Contact',
    allowed: MANAGERS,
    status: 200,
    call: async (f, as) => f.t.http().post(ws(f, `/contacts/${await newContact(f)}/merge`)).set(as).send({ sourceContactId: await newContact(f) }),
  },
  { route: 'GET /contacts/{contactId}/consents', permission: 'read Consent', allowed: TEAM, status: 200, call: (f, as) => f.t.http().get(ws(f, `/contacts/${f.seed.contactId}/consents`)).set(as) },
  {
    route: 'POST /contacts/{contactId}/consents',
    permission: 'create Consent',
    allowed: TEAM,
    status: 201,
    call: (f, as) => f.t.http().post(ws(f, `/contacts/${f.seed.contactId}/consents`)).set(as).send({ channelType: 'telegram', status: 'opted_in', source: 'api' }),
  },
  { route: 'GET /conversations', permission: 'read Conversation', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, '/conversations')).set(as) },
  { route: 'GET /conversations/{conversationId}', permission: 'read Conversation', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, `/conversations/${f.seed.conversationId}`)).set(as) },
  {
    route: 'PATCH /conversations/{conversationId}',
    permission: 'update Conversation',
    allowed: TEAM,
    status: 200,
    call: (f, as) => f.t.http().patch(ws(f, `/conversations/${f.seed.conversationId}`)).set(as).send({ status: 'open' }),
  },
  {
    route: 'POST /conversations/{conversationId}/notes',
    permission: 'create Message',
    allowed: TEAM,
    status: 201,
    call: (f, as) => f.t.http().post(ws(f, `/conversations/${f.seed.conversationId}/notes`)).set(as).send({ text: 'Call them back.' }),
  },
  { route: 'GET /conversations/{conversationId}/messages', permission: 'read Message', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, `/conversations/${f.seed.conversationId}/messages`)).set(as) },
  {
    route: 'POST /conversations/{conversationId}/messages',
    permission: 'send Message',
    allowed: TEAM,
    status: 202,
    call: (f, as) => f.t.http().post(ws(f, `/conversations/${f.seed.conversationId}/messages`)).set(as).send({ text: 'On its way.' }),
  },
  {
    route: 'POST /messages',
    permission: 'send Message',
    allowed: TEAM,
    status: 202,
    call: (f, as) => f.t.http().post(ws(f, '/messages')).set(as).send({ contactId: f.seed.contactId, channelId: f.seed.emailChannelId, subject: 'News', text: 'Hello again.' }),
  },
  { route: 'GET /messages/{messageId}', permission: 'read Message', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, `/messages/${f.seed.messageId}`)).set(as) },
  {
    route: 'POST /messages/{messageId}/retry',
    permission: 'send Message',
    allowed: TEAM,
    status: 202,
    call: async (f, as) => f.t.http().post(ws(f, `/messages/${await failedMessage(f)}/retry`)).set(as),
    // The retried message must be sent before the next case injects its failure, or it would take it.
    undo: async (f) => {
      const list = await allMessages(f.t, f.owner, f.seed.retry.conversationId);
      await settled(f.t, f.owner, list.at(-1).id, 'sent');
    },
  },
  { route: 'GET /search', permission: 'read Conversation', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, '/search')).query({ q: 'order' }).set(as) },
  { route: 'GET /attachments/{attachmentId}', permission: 'read Message', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f, `/attachments/${f.seed.attachmentId}`)).set(as) },
];
