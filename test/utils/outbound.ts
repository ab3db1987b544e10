import { allMessages, contactWith, conversationOf, sandboxInbound } from './conversations';
import type { Account } from './factories';
import type { TestApp } from './test-app';

type Json = Record<string, any>;

/** Polls a message until it reaches one of `status` (delivery runs on the Bull worker). */
export async function settledMessage(t: TestApp, owner: Account, id: string, status: string | string[], timeoutMs = 15_000): Promise<Json> {
  const wanted = ([] as string[]).concat(status);
  const deadline = Date.now() + timeoutMs;
  let message: Json = {};
  while (Date.now() < deadline) {
    message = (await t.http().get(`/v1/workspaces/${owner.workspaceId}/messages/${id}`).set(owner.auth).expect(200)).body;
    if (wanted.includes(message.status)) return message;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`message ${id} is ${message.status}, not ${wanted.join('/')}: ${JSON.stringify(message.attempts)}`);
}

/** What one provider fake received, oldest first. */
export async function sandboxRequests(t: TestApp, provider: 'postmark' | 'whatsapp' | 'telegram'): Promise<Json[]> {
  return (await t.http().get(`/sandbox/requests?provider=${provider}`).expect(200)).body.data;
}

/** A customer writes on a channel (through the sandbox); answers with the contact's conversation and its messages. */
export async function customerConversation(t: TestApp, owner: Account, channelId: string, inbound: { from: string; text: string; subject?: string }) {
  await sandboxInbound(t, owner, channelId, inbound);
  const conversation = await conversationOf(t, owner, (await contactWith(t, owner, inbound.from)).id);
  return { conversation, messages: await allMessages(t, owner, conversation.id) };
}
