import type { Response } from 'supertest';
import { Account, apiKey, signup } from '../utils/factories';
import { sql } from '../utils/db';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

interface KeyRow {
  id: string;
  lastUsedAt: string | null;
}

describe('API keys', () => {
  let t: TestApp;
  let owner: Account;

  const keysUrl = () => `/v1/workspaces/${owner.workspaceId}/api-keys`;
  const lastUsedAt = async (id: string) => (await sql<{ last_used_at: Date | null }>('select last_used_at from api_keys where id = $1', [id]))[0].last_used_at;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t, 'keys');
  });
  afterAll(() => t.close());

  describe('lastUsedAt', () => {
    const touches = 'test_api_key_touches';
    let keyId: string;
    let headers: Record<string, string>;

    beforeAll(async () => {
      ({ id: keyId, headers } = await apiKey(t, owner, 'viewer'));
      // Counts the writes to this key's last_used_at, whoever makes them.
      await sql(`create table if not exists ${touches} (key_id uuid not null, at timestamptz not null default clock_timestamp())`);
      await sql(`create or replace function ${touches}_fn() returns trigger language plpgsql as $$ begin insert into ${touches} (key_id) values (new.id); return new; end $$`);
      await sql(`create trigger ${touches}_${keyId.replace(/-/g, '')} after update of last_used_at on api_keys for each row when (new.id = '${keyId}') execute function ${touches}_fn()`);
    });
    afterAll(async () => {
      await sql(`drop trigger if exists ${touches}_${keyId.replace(/-/g, '')} on api_keys`);
    });

    const writes = async () => Number((await sql<{ n: string }>(`select count(*) as n from ${touches} where key_id = $1`, [keyId]))[0].n);

    it('is written once for many concurrent and later requests within a minute', async () => {
      expect(await lastUsedAt(keyId)).toBeNull();
      const burst = await Promise.all(Array.from({ length: 12 }, () => t.http().get(`/v1/workspaces/${owner.workspaceId}`).set(headers)));
      expect(burst.map((r) => r.status)).toEqual(Array(12).fill(200));
      const first = await lastUsedAt(keyId);
      expect(first).toBeInstanceOf(Date);
      for (let i = 0; i < 3; i++) await t.http().get(`/v1/workspaces/${owner.workspaceId}`).set(headers).expect(200);
      expect(await writes()).toBe(1);
      expect(await lastUsedAt(keyId)).toEqual(first);
      const listed = (await t.http().get(keysUrl()).set(owner.auth).expect(200)).body.data.find((k: KeyRow) => k.id === keyId);
      expect(Date.parse(listed.lastUsedAt)).toBe(first!.getTime());
    });

    it('moves again once the last write is more than a minute old', async () => {
      await sql(`update api_keys set last_used_at = now() - interval '61 seconds' where id = $1`, [keyId]);
      const stale = await lastUsedAt(keyId);
      const before = await writes();
      await Promise.all(Array.from({ length: 6 }, () => t.http().get(`/v1/workspaces/${owner.workspaceId}`).set(headers).expect(200)));
      expect(await writes()).toBe(before + 1);
      expect((await lastUsedAt(keyId))!.getTime()).toBeGreaterThan(stale!.getTime() + 60_000);
    });
  });

  it('answers 401 at once for a key whose expiresAt has passed', async () => {
    const { id, headers } = await apiKey(t, owner, 'viewer');
    await t.http().get(`/v1/workspaces/${owner.workspaceId}`).set(headers).expect(200);
    await sql(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [id]);
    expectProblem(await t.http().get(`/v1/workspaces/${owner.workspaceId}`).set(headers), 401, 'unauthorized');
  });

  it('works until a future expiresAt given at creation', async () => {
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const res = await t.http().post(keysUrl()).set(owner.auth).send({ name: 'temporary', role: 'viewer', expiresAt }).expect(201);
    expect(res.body.expiresAt).toBe(expiresAt);
    await t.http().get(`/v1/workspaces/${owner.workspaceId}`).set('X-API-Key', res.body.key).expect(200);
  });

  it('refuses to create a key that has already expired, naming the field', async () => {
    const before = (await t.http().get(keysUrl()).query({ limit: 200 }).set(owner.auth).expect(200)).body.data.length;
    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), '2001-01-01T00:00:00Z']) {
      const res = await t.http().post(keysUrl()).set(owner.auth).send({ name: 'stale', role: 'viewer', expiresAt });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'expiresAt' })]);
    }
    expect((await t.http().get(keysUrl()).query({ limit: 200 }).set(owner.auth).expect(200)).body.data.length).toBe(before);
  });

  it('lists newest first, keyset-paginated with limit and cursor', async () => {
    const ws = await signup(t, 'key-pages');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await apiKey(t, ws, 'viewer')).id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t
        .http()
        .get(`/v1/workspaces/${ws.workspaceId}/api-keys`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(ws.auth)
        .expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      walked.push(...res.body.data.map((k: KeyRow) => k.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual([...created].reverse());
    const all = (await t.http().get(`/v1/workspaces/${ws.workspaceId}/api-keys`).set(ws.auth).expect(200)).body;
    expect(all).toEqual({ data: expect.any(Array), nextCursor: null });
    expectProblem(await t.http().get(`/v1/workspaces/${ws.workspaceId}/api-keys`).query({ limit: 201 }).set(ws.auth), 400, 'validation_failed');
    expectProblem(await t.http().get(`/v1/workspaces/${ws.workspaceId}/api-keys`).query({ cursor: 'nope' }).set(ws.auth), 400, 'validation_failed');
  });
});
