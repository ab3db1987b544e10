// A program an integrator would write against the generated client (type-checked with --strict,
// then run against a started app by openapi-client.e2e-spec.ts). BASE_URL names the app.
import createClient from 'openapi-fetch';
import type { paths } from './schema';

const baseUrl = process.env.BASE_URL!;
const api = createClient<paths>({ baseUrl });

function must<T>(result: { data?: T; error?: unknown; response: Response }, step: string): T {
  if (result.data === undefined) throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

async function main() {
  const email = `client-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const signup = must(await api.POST('/v1/auth/signup', { body: { email, password: 'correct horse battery staple', name: 'Client', workspaceName: 'Client Co' } }), 'signup');
  const wid: string = signup.workspace.id;
  const headers = { authorization: `Bearer ${signup.accessToken}` };

  const channel = must(
    await api.POST('/v1/workspaces/{wid}/channels', {
      params: { path: { wid } },
      headers,
      body: { type: 'whatsapp', name: 'WhatsApp', config: { phoneNumberId: '1065403522', businessAccountId: '2065403522', accessToken: 'client-access-token', appSecret: 'client-app-secret' } },
    }),
    'connect',
  );
  const webhookUrl: string = channel.webhook.url;

  // The sandbox is not part of the public document, so this one step is a plain fetch.
  const inbound = await fetch(`${baseUrl}/sandbox/channels/${channel.id}/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: '4915112345678', text: 'Where is my order?', name: 'Grace' }),
  });
  if (inbound.status !== 200) throw new Error(`sandbox inbound: ${inbound.status} ${await inbound.text()}`);

  let conversationId: string | undefined;
  for (let i = 0; i < 100 && !conversationId; i++) {
    const page = must(await api.GET('/v1/workspaces/{wid}/conversations', { params: { path: { wid }, query: { limit: 10 } }, headers }), 'list');
    conversationId = page.data[0]?.id;
    if (!conversationId) await new Promise((r) => setTimeout(r, 100));
  }
  if (!conversationId) throw new Error('no conversation after the inbound message');

  const reply = must(
    await api.POST('/v1/workspaces/{wid}/conversations/{conversationId}/messages', {
      params: { path: { wid, conversationId } },
      headers,
      body: { text: 'It ships tomorrow.' },
    }),
    'reply',
  );
  const messages = must(await api.GET('/v1/workspaces/{wid}/conversations/{conversationId}/messages', { params: { path: { wid, conversationId } }, headers }), 'messages');
  process.stdout.write(
    JSON.stringify({ webhookUrl, replyStatus: reply.status, replyDirection: reply.direction, texts: messages.data.map((m) => m.text), nextCursor: messages.nextCursor }),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
