import type { Response } from 'supertest';
import { Account, memberWithRole, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { createRole, expectProblem, inviteMember, memberIdOf, uniqueName } from '../utils/workspace-fixtures';

interface Row {
  id: string;
  role?: string;
  status?: string;
}

describe('members and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const members = async (owner: Account): Promise<Row[]> => (await t.http().get(`/v1/workspaces/${owner.workspaceId}/members`).query({ limit: 200 }).set(owner.auth).expect(200)).body.data;
  const activeOwners = async (owner: Account) => (await members(owner)).filter((m) => m.role === 'owner' && m.status === 'active');

  /** A workspace with two active owners. */
  async function twoOwners(): Promise<[Account, Account]> {
    const first = await signup(t, 'owner-a');
    const second = await memberWithRole(t, first, 'owner');
    return [first, second];
  }

  describe('last-owner protection', () => {
    it('lets an invited owner be removed or demoted while one active owner remains', async () => {
      const owner = await signup(t, 'sole');
      const ws = `/v1/workspaces/${owner.workspaceId}/members`;
      const toRemove = await inviteMember(t, owner, 'owner');
      const toDemote = await inviteMember(t, owner, 'owner');
      await t.http().delete(`${ws}/${toRemove}`).set(owner.auth).expect(204);
      expect((await t.http().patch(`${ws}/${toDemote}`).set(owner.auth).send({ role: 'agent' }).expect(200)).body).toMatchObject({ role: 'agent', status: 'invited' });
      expect((await members(owner)).map((m) => m.id)).not.toContain(toRemove);
    });

    it('never counts an invited owner as the one who remains', async () => {
      const owner = await signup(t, 'sole');
      const ws = `/v1/workspaces/${owner.workspaceId}/members`;
      await inviteMember(t, owner, 'owner');
      const me = await memberIdOf(t, owner, owner.userId);
      expectProblem(await t.http().patch(`${ws}/${me}`).set(owner.auth).send({ role: 'admin' }), 409, 'conflict');
      expectProblem(await t.http().delete(`${ws}/${me}`).set(owner.auth), 409, 'conflict');
      expect(await activeOwners(owner)).toHaveLength(1);
    });

    it('leaves exactly one owner when the two owners demote each other at the same time', async () => {
      for (let round = 0; round < 4; round++) {
        const [a, b] = await twoOwners();
        const ws = `/v1/workspaces/${a.workspaceId}/members`;
        const [aId, bId] = [await memberIdOf(t, a, a.userId), await memberIdOf(t, a, b.userId)];
        const results: Response[] = await Promise.all([
          t.http().patch(`${ws}/${bId}`).set(a.auth).send({ role: 'admin' }),
          t.http().patch(`${ws}/${aId}`).set(b.auth).send({ role: 'admin' }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
        // Whoever was demoted is an admin now and may still read the members.
        expect(await activeOwners(a)).toHaveLength(1);
      }
    });

    it('leaves exactly one owner when the two owners remove each other at the same time', async () => {
      const [a, b] = await twoOwners();
      const ws = `/v1/workspaces/${a.workspaceId}/members`;
      const [aId, bId] = [await memberIdOf(t, a, a.userId), await memberIdOf(t, a, b.userId)];
      const results = await Promise.all([t.http().delete(`${ws}/${bId}`).set(a.auth), t.http().delete(`${ws}/${aId}`).set(b.auth)]);
      expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
      const survivor = results[0].status === 204 ? a : b;
      expect(await activeOwners(survivor)).toHaveLength(1);
    });
  });

  describe('lists', () => {
    async function walk(url: string, owner: Account): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await t
          .http()
          .get(url)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(owner.auth)
          .expect(200);
        expect(res.body.data.length).toBeLessThanOrEqual(2);
        ids.push(...res.body.data.map((r: Row) => r.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return ids;
    }

    it('pages members oldest first with {data, nextCursor}, stable while members are added', async () => {
      const owner = await signup(t, 'member-pages');
      const url = `/v1/workspaces/${owner.workspaceId}/members`;
      for (let i = 0; i < 4; i++) await inviteMember(t, owner, 'agent');
      const all = await members(owner);
      expect(all).toHaveLength(5);
      const first = (await t.http().get(url).query({ limit: 2 }).set(owner.auth).expect(200)).body;
      expect(first).toEqual({ data: all.slice(0, 2), nextCursor: expect.any(String) });
      const late = await inviteMember(t, owner, 'viewer');
      const rest = await walk(url, owner);
      expect(rest).toEqual([...all.map((m) => m.id), late]);
      expect((await t.http().get(url).set(owner.auth).expect(200)).body.nextCursor).toBeNull();
    });

    it('pages roles with the built-ins first', async () => {
      const owner = await signup(t, 'role-pages');
      const url = `/v1/workspaces/${owner.workspaceId}/roles`;
      const custom = [];
      for (let i = 0; i < 3; i++) custom.push((await createRole(t, owner, [{ action: 'read', subject: 'Contact' }])).id);
      const all = (await t.http().get(url).set(owner.auth).expect(200)).body;
      expect(all.nextCursor).toBeNull();
      expect(all.data.map((r: { name: string }) => r.name).slice(0, 4)).toEqual(['owner', 'admin', 'agent', 'viewer']);
      expect(await walk(url, owner)).toEqual(all.data.map((r: Row) => r.id));
      expect(all.data.slice(4).map((r: Row) => r.id)).toEqual(custom);
    });

    it('answers 400 validation_failed to a bad limit or cursor on each list', async () => {
      const owner = await signup(t, 'bad-pages');
      for (const list of ['members', 'roles', 'api-keys']) {
        const url = `/v1/workspaces/${owner.workspaceId}/${list}`;
        for (const limit of ['0', '201', 'x']) {
          const res = await t.http().get(url).query({ limit }).set(owner.auth);
          expectProblem(res, 400, 'validation_failed');
          expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'limit' })]));
        }
        for (const cursor of ['%%%', Buffer.from('{"id":"nope"}').toString('base64url')]) {
          const res = await t.http().get(url).query({ cursor }).set(owner.auth);
          expectProblem(res, 400, 'validation_failed');
          expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'cursor' })]));
        }
      }
    });
  });

  describe('custom role conditions', () => {
    let owner: Account;
    beforeAll(async () => {
      owner = await signup(t, 'conditions');
    });

    const create = (conditions: unknown, subject = 'Conversation') =>
      t.http().post(`/v1/workspaces/${owner.workspaceId}/roles`).set(owner.auth).send({ name: uniqueName('cond'), permissions: [{ action: 'read', subject, conditions }] });

    it('accepts plain equality and $eq, $ne, $in, $nin on known fields', async () => {
      const conditions = { assigneeId: owner.userId, status: { $in: ['open', 'pending'] }, contactId: { $ne: null }, labels: { $nin: ['vip'] } };
      const res = await create(conditions).expect(201);
      expect(res.body.permissions).toEqual([{ action: 'read', subject: 'Conversation', conditions }]);
      await create({ status: { $eq: 'active' } }, 'Channel').expect(201);
    });

    it.each([
      ['an unknown operator', { status: { $where: 'sleep(1000)' } }],
      ['a regex operator', { status: { $regex: '^(a+)+$' } }],
      ['an unknown field', { secret: 'x' }],
      ['a field of another subject', { channelId: 'x' }],
      ['a nested operator', { status: { $not: { $eq: 'open' } } }],
      ['a non-list $in', { status: { $in: 'open' } }],
      ['an object value', { status: { nested: true } }],
      ['a non-object', ['status']],
    ])('answers 400 validation_failed naming the field for %s (never 500)', async (_, conditions) => {
      const res = await create(conditions);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'permissions[0].conditions', message: expect.any(String) })]);
    });

    it('validates conditions on role updates too', async () => {
      const role = await createRole(t, owner, [{ action: 'read', subject: 'Message' }]);
      const res = await t
        .http()
        .patch(`/v1/workspaces/${owner.workspaceId}/roles/${role.id}`)
        .set(owner.auth)
        .send({ permissions: [{ action: 'read', subject: 'Message', conditions: { direction: { $gt: 'a' } } }] });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors[0].message).toContain('$gt');
    });
  });
});
