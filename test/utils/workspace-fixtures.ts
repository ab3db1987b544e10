import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { Account, uniqueEmail } from './factories';
import type { TestApp } from './test-app';

/** Credentials of any caller: a person's `{Authorization}` or a key's `{'X-API-Key'}`. */
export type Creds = Record<string, string>;

export interface Permission {
  action: string;
  subject: string;
  conditions?: Record<string, unknown>;
}

export const uniqueName = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}`;

/** A problem+json answer with this status and stable `code`. */
export function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

/** Invites a person who has no account yet (the membership stays `invited`); returns the member id. */
export async function inviteMember(t: TestApp, owner: Account, role: string): Promise<string> {
  const res = await t.http().post(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth).send({ email: uniqueEmail(role), role }).expect(201);
  return res.body.id;
}

/** The membership id of `userId` in `owner`'s workspace. */
export async function memberIdOf(t: TestApp, owner: Account, userId: string): Promise<string> {
  const res = await t.http().get(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth).expect(200);
  const row = res.body.data.find((m: { userId: string | null }) => m.userId === userId);
  if (!row) throw new Error(`user ${userId} is not a member of ${owner.workspaceId}`);
  return row.id;
}

/** Creates a custom role in `owner`'s workspace. */
export async function createRole(t: TestApp, owner: Account, permissions: Permission[], name = uniqueName('role')): Promise<{ id: string; name: string }> {
  const res = await t.http().post(`/v1/workspaces/${owner.workspaceId}/roles`).set(owner.auth).send({ name, permissions }).expect(201);
  return { id: res.body.id, name: res.body.name };
}
