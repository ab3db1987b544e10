import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app';

export const uniqueEmail = (tag = 'user') => `${tag}-${randomUUID().slice(0, 8)}@example.test`;
export const PASSWORD = 'correct-horse-battery';

export interface Account {
  userId: string;
  email: string;
  workspaceId: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** Signs up a new person with their own workspace (they are its owner). */
export async function signup(t: TestApp, tag = 'owner'): Promise<Account> {
  const email = uniqueEmail(tag);
  const res = await t
    .http()
    .post('/v1/auth/signup')
    .send({ email, password: PASSWORD, name: `${tag} person`, workspaceName: `${tag} workspace` })
    .expect(201);
  return {
    userId: res.body.user.id,
    email,
    workspaceId: res.body.workspace.id,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

/** Adds a new person to `owner`'s workspace with `role` and returns their credentials there. */
export async function memberWithRole(t: TestApp, owner: Account, role: string): Promise<Account> {
  const invited = await t.http().post(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth).send({ email: uniqueEmail(role), role }).expect(201);
  const accepted = await t.http().post(`/v1/invitations/${invited.body.invitation.token}/accept`).send({ name: role, password: PASSWORD }).expect(201);
  return {
    userId: accepted.body.user.id,
    email: invited.body.email,
    workspaceId: owner.workspaceId,
    accessToken: accepted.body.accessToken,
    refreshToken: accepted.body.refreshToken,
    auth: { Authorization: `Bearer ${accepted.body.accessToken}` },
  };
}

/** Creates an API key with `role` in `owner`'s workspace. */
export async function apiKey(t: TestApp, owner: Account, role: string): Promise<{ id: string; headers: { 'X-API-Key': string } }> {
  const res = await t.http().post(`/v1/workspaces/${owner.workspaceId}/api-keys`).set(owner.auth).send({ name: `${role} key`, role }).expect(201);
  return { id: res.body.id, headers: { 'X-API-Key': res.body.key } };
}
