import { randomInt, randomUUID } from 'node:crypto';
import { connectEmail, connectTelegram, connectWhatsapp, postPostmark, postTelegram, postWhatsapp } from './channels';
import { processed } from './conversations';
import { Client } from 'pg';
import type { Account } from './factories';
import type { TestApp } from './test-app';
import type { Creds } from './workspace-fixtures';

export const ws = (owner: Account, rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;

/** A person with an address on each channel; long random ids so no other value contains them by chance. */
export function newPerson(tag: string) {
  const waId = `4915${randomInt(1e9, 1e10 - 1)}`;
  return { name: `${tag} Person`, email: `${tag}-${randomUUID().slice(0, 8)}@customer.example`, waId, phone: `+${waId}`, telegramId: String(randomInt(1e10, 9e10)) };
}
export type Person = ReturnType<typeof newPerson>;

export async function connectAll(t: TestApp, owner: Account) {
  return { whatsapp: await connectWhatsapp(t, owner), email: await connectEmail(t, owner), telegram: await connectTelegram(t, owner) };
}
export type Channels = Awaited<ReturnType<typeof connectAll>>;

const unix = () => Math.floor(Date.now() / 1000);
const waMessage = (p: Person, text: string) => ({ from: p.waId, id: `wamid.T${randomUUID().replace(/-/g, '')}`, timestamp: String(unix()), type: 'text', text: { body: text } });

/** One WhatsApp delivery carrying messages of several people (Meta batches them). */
export function whatsappBatch(channel: Channels['whatsapp'], people: { person: Person; text: string }[]) {
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: String(channel.body.config.businessAccountId),
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '', phone_number_id: String(channel.body.config.phoneNumberId) },
          contacts: people.map(({ person }) => ({ profile: { name: person.name }, wa_id: person.waId })),
          messages: people.map(({ person, text }) => waMessage(person, text)),
        },
      }],
    }],
  };
}

export async function whatsappFrom(t: TestApp, owner: Account, ch: Channels, people: { person: Person; text: string }[]) {
  await processed(t, owner, ch.whatsapp.id, await postWhatsapp(t, ch.whatsapp.id, whatsappBatch(ch.whatsapp, people), ch.whatsapp.appSecret).expect(200));
}

export async function telegramFrom(t: TestApp, owner: Account, ch: Channels, p: Person, text: string) {
  const id = Number(p.telegramId);
  const update = { update_id: randomInt(1, 2 ** 31), message: { message_id: randomInt(1, 2 ** 31), from: { id, is_bot: false, first_name: p.name }, chat: { id, type: 'private', first_name: p.name }, date: unix(), text } };
  await processed(t, owner, ch.telegram.id, await postTelegram(t, ch.telegram.id, update, ch.telegram.secret).expect(200));
}

/** An email with a PDF attachment. */
export async function emailFrom(t: TestApp, owner: Account, ch: Channels, p: Person, text: string, attachment = Buffer.from(`%PDF-1.7 ${randomUUID()}`)) {
  const messageId = randomUUID();
  const to = 'support@inbound.acme.example';
  const payload = {
    From: p.email, FromName: p.name, FromFull: { Email: p.email, Name: p.name, MailboxHash: '' }, To: to, ToFull: [{ Email: to, Name: '', MailboxHash: '' }],
    OriginalRecipient: to, Subject: 'Order', MessageID: messageId, Date: new Date().toUTCString(), MailboxHash: '', TextBody: text, HtmlBody: '', StrippedTextReply: text,
    MessageStream: 'inbound', Headers: [{ Name: 'Message-ID', Value: `<${messageId}@mail.customer.example>` }],
    Attachments: [{ Name: 'invoice.pdf', Content: attachment.toString('base64'), ContentType: 'application/pdf', ContentLength: attachment.length }],
  };
  await processed(t, owner, ch.email.id, await postPostmark(t, ch.email.id, 'inbound', payload, ch.email.authorization).expect(200));
}

/** A contact holding all of the person's addresses, so every channel's messages land on it. */
export async function createPerson(t: TestApp, owner: Account, p: Person): Promise<string> {
  const identifiers = [{ kind: 'email', value: p.email }, { kind: 'whatsapp', value: p.waId }, { kind: 'telegram', value: p.telegramId }];
  return (await t.http().post(ws(owner, '/contacts')).set(owner.auth).send({ name: p.name, identifiers }).expect(201)).body.id;
}

/** Polls a privacy request until it is no longer pending or running. */
export async function settledRequest(t: TestApp, owner: Account, id: string, creds: Creds = owner.auth, timeoutMs = 15_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http().get(ws(owner, `/privacy-requests/${id}`)).set(creds).expect(200);
    if (!['pending', 'running'].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`privacy request ${id} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Every text, varchar, jsonb (and text array) column of every table, from the catalog, scanned
 * for the needles: answers "table.column: needle" for each hit.
 */
export async function catalogHits(needles: string[], skip: string[] = []): Promise<string[]> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and (c.data_type in ('text', 'character varying', 'jsonb', 'json') or c.udt_name in ('_text', '_varchar'))
      order by 1, 2`);
    const hits: string[] = [];
    for (const { table_name, column_name } of columns) {
      if (skip.includes(`${table_name}.${column_name}`)) continue;
      const { rows } = await db.query<{ needle: string }>(
        `select n as needle from unnest($1::text[]) n where exists (select 1 from "${table_name}" where "${column_name}"::text ilike '%' || n || '%')`,
        [needles],
      );
      hits.push(...rows.map((r) => `${table_name}.${column_name}: ${r.needle}`));
    }
    return hits;
  } finally {
    await db.end();
  }
}
