import type { Account } from './factories';
import type { TestApp } from './test-app';
import type { Creds } from './workspace-fixtures';

type Json = Record<string, any>;

const ws = (owner: Account, rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;

/** Asks for a summary or a draft of a conversation; answers the 202 body. */
export async function requestArtifact(t: TestApp, owner: Account, conversationId: string, kind: 'summary' | 'draft', body: Json = {}, creds: Creds = owner.auth): Promise<Json> {
  const path = kind === 'summary' ? 'summaries' : 'drafts';
  const res = await t.http().post(ws(owner, `/conversations/${conversationId}/${path}`)).set(creds).send(body).expect(202);
  return res.body;
}

/** Polls an artifact until it leaves `pending` (the job runs on the Bull worker). */
export async function settledArtifact(t: TestApp, owner: Account, id: string, timeoutMs = 15_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  let artifact: Json = {};
  while (Date.now() < deadline) {
    artifact = (await t.http().get(ws(owner, `/ai/artifacts/${id}`)).set(owner.auth).expect(200)).body;
    if (artifact.status !== 'pending') return artifact;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`artifact ${id} is still pending`);
}

/** A ready draft of the conversation. */
export async function readyDraft(t: TestApp, owner: Account, conversationId: string, body: Json = {}): Promise<Json> {
  const artifact = await settledArtifact(t, owner, (await requestArtifact(t, owner, conversationId, 'draft', body)).id);
  if (artifact.status !== 'ready') throw new Error(`draft ${artifact.id} is ${artifact.status}: ${artifact.reason}`);
  return artifact;
}
