import type { Response } from 'supertest';
import { CONVERSATIONS_MAINTENANCE } from '../../src/modules/messaging/messaging.tokens';
import { waitForLedger } from './channels';
import type { Account } from './factories';
import type { TestApp } from './test-app';
import type { Creds } from './workspace-fixtures';

/** Waits until the webhook a delivery stored has been processed, and fails with the ledger's reason otherwise. */
export async function processed(t: TestApp, owner: Account, channelId: string, delivery: Response): Promise<void> {
  const eventId = delivery.body.eventId ?? delivery.body.webhookResponse?.eventId;
  if (!eventId) throw new Error(`the delivery stored no event: ${JSON.stringify(delivery.body)}`);
  const events = await waitForLedger(t, owner, channelId, (e) => e.some((x) => x.id === eventId && x.status !== 'pending'));
  const event = events.find((x) => x.id === eventId);
  if (event.status !== 'processed') throw new Error(`event ${eventId} is ${event.status}: ${event.reason}`);
}

/** A customer message through the provider sandbox (a signed webhook to the real endpoint), processed. */
export async function sandboxInbound(t: TestApp, owner: Account, channelId: string, body: { from: string; text: string; name?: string; subject?: string }): Promise<void> {
  const res = await t.http().post(`/sandbox/channels/${channelId}/inbound`).send(body).expect(200);
  expect(res.body.webhookStatus).toBe(200);
  await processed(t, owner, channelId, res);
}

const ws = (owner: Account, rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;

/** The contact holding exactly this identifier value. */
export async function contactWith(t: TestApp, owner: Account, value: string): Promise<{ id: string; name: string | null; identifiers: { kind: string; value: string }[] }> {
  const res = await t.http().get(ws(owner, '/contacts')).query({ query: value }).set(owner.auth).expect(200);
  const contact = res.body.data.find((c: { identifiers: { value: string }[] }) => c.identifiers.some((i) => i.value === value));
  if (!contact) throw new Error(`no contact with identifier ${value}`);
  return contact;
}

/** The live conversations of a contact (one, or none). */
export async function conversationsOf(t: TestApp, owner: Account, contactId: string, creds: Creds = owner.auth): Promise<any[]> {
  return (await t.http().get(ws(owner, '/conversations')).query({ contactId }).set(creds).expect(200)).body.data;
}

export async function conversationOf(t: TestApp, owner: Account, contactId: string): Promise<any> {
  const list = await conversationsOf(t, owner, contactId);
  expect(list).toHaveLength(1);
  return (await t.http().get(ws(owner, `/conversations/${list[0].id}`)).set(owner.auth).expect(200)).body;
}

/** Every message of a conversation, following the cursor. */
export async function allMessages(t: TestApp, owner: Account, conversationId: string, creds: Creds = owner.auth): Promise<any[]> {
  const messages: any[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await t.http().get(ws(owner, `/conversations/${conversationId}/messages`)).query({ limit: 200, ...(cursor ? { cursor } : {}) }).set(creds).expect(200);
    messages.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return messages;
}

interface EventBus {
  on(event: string, listener: (payload: any) => void): unknown;
  off(event: string, listener: (payload: any) => void): unknown;
}

/**
 * Records the app's domain events. The app runs in its own module registry, so the test's
 * EventEmitter2 class is not the app's; the bus is reached through a messaging service instead.
 */
export function recordDomainEvents(t: TestApp, names: string[]): { events: { name: string; payload: any }[]; stop(): void } {
  const service = t.app.get<{ events: { emitter: EventBus } }>(CONVERSATIONS_MAINTENANCE);
  const bus = service.events.emitter;
  const events: { name: string; payload: any }[] = [];
  const listeners = names.map((name) => [name, (payload: unknown) => events.push({ name, payload })] as const);
  for (const [name, fn] of listeners) bus.on(name, fn);
  return { events, stop: () => listeners.forEach(([name, fn]) => bus.off(name, fn)) };
}
