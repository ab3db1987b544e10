import { createHmac, randomUUID } from 'node:crypto';
import type { Account } from './factories';
import type { TestApp } from './test-app';

export interface ConnectedChannel {
  id: string;
  body: Record<string, any>;
}

const digits = () => String(Math.floor(1e14 + Math.random() * 9e14));

export async function connectWhatsapp(t: TestApp, owner: Account, appSecret = `app-secret-${randomUUID()}`) {
  const accessToken = `EAAG-${randomUUID()}`;
  const res = await t
    .http()
    .post(`/v1/workspaces/${owner.workspaceId}/channels`)
    .set(owner.auth)
    .send({ type: 'whatsapp', name: 'WhatsApp', config: { phoneNumberId: digits(), businessAccountId: digits(), accessToken, appSecret } })
    .expect(201);
  return { id: res.body.id as string, body: res.body, appSecret, accessToken };
}

export async function connectEmail(t: TestApp, owner: Account) {
  const serverToken = `pm-${randomUUID()}`;
  const res = await t
    .http()
    .post(`/v1/workspaces/${owner.workspaceId}/channels`)
    .set(owner.auth)
    .send({ type: 'email', name: 'Support email', config: { serverToken, fromAddress: 'support@acme.example', inboundAddress: 'support@inbound.acme.example' } })
    .expect(201);
  const url = new URL(res.body.webhook.inboundUrl);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  return { id: res.body.id as string, body: res.body, authorization, serverToken };
}

/** Connects a Telegram bot; the webhook secret is read from what the sandbox's setWebhook received. */
export async function connectTelegram(t: TestApp, owner: Account, botToken = `${Math.floor(Math.random() * 1e9)}:AAH${randomUUID().replace(/-/g, '')}`) {
  const res = await t.http().post(`/v1/workspaces/${owner.workspaceId}/channels`).set(owner.auth).send({ type: 'telegram', name: 'Bot', config: { botToken } }).expect(201);
  const recorded = await t.http().get('/sandbox/requests?provider=telegram').expect(200);
  const list = (recorded.body.data ?? recorded.body) as { path: string; body: Record<string, any> }[];
  const setWebhook = list.filter((r) => r.path.endsWith('/setWebhook') && String(r.body?.url).endsWith(res.body.id)).at(-1);
  return { id: res.body.id as string, body: res.body, botToken, secret: setWebhook?.body.secret_token as string };
}

export const hubSignature = (raw: string | Buffer, secret: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export function postWhatsapp(t: TestApp, channelId: string, payload: unknown, appSecret: string) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return t.http().post(`/v1/webhooks/whatsapp/${channelId}`).set('content-type', 'application/json').set('x-hub-signature-256', hubSignature(raw, appSecret)).send(raw);
}

export function postTelegram(t: TestApp, channelId: string, update: unknown, secret: string) {
  return t.http().post(`/v1/webhooks/telegram/${channelId}`).set('content-type', 'application/json').set('x-telegram-bot-api-secret-token', secret).send(JSON.stringify(update));
}

export function postPostmark(t: TestApp, channelId: string, kind: 'inbound' | 'events', payload: unknown, authorization: string) {
  return t.http().post(`/v1/webhooks/postmark/${channelId}/${kind}`).set('content-type', 'application/json').set('authorization', authorization).send(JSON.stringify(payload));
}

/** Polls the ledger until `predicate` holds for the event list (processing runs on the Bull worker). */
export async function waitForLedger(t: TestApp, owner: Account, channelId: string, predicate: (events: any[]) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let events: any[] = [];
  while (Date.now() < deadline) {
    events = (await t.http().get(`/v1/workspaces/${owner.workspaceId}/channels/${channelId}/webhook-events?limit=200`).set(owner.auth).expect(200)).body.data;
    if (predicate(events)) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ledger condition not met in ${timeoutMs} ms; last: ${JSON.stringify(events.map((e) => [e.status, e.reason]))}`);
}
