import type { Response } from 'supertest';
import { waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { connectEmail, connectWhatsapp, postWhatsapp, waitForLedger } from '../utils/channels';
import { Account, apiKey, memberWithRole, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { createRole, expectProblem, inviteMember, Permission, uniqueName } from '../utils/workspace-fixtures';

/**
 * The route decorator lets a custom role in; its CASL conditions then decide per record: the
 * services check each loaded record and lists show only the rows the conditions match.
 */
describe('record-level permissions of custom roles with conditions', () => {
  let t: TestApp;
  let owner: Account;
  const ws = (path: string) => `/v1/workspaces/${owner.workspaceId}${path}`;
  const as = async (permissions: Permission[]) => memberWithRole(t, owner, (await createRole(t, owner, permissions)).name);

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t, 'records');
  });
  afterAll(() => t.close());

  describe('channels', () => {
    let email: string;
    let whatsapp: string;
    let clerk: Account;

    beforeAll(async () => {
      email = (await connectEmail(t, owner)).id;
      whatsapp = (await connectWhatsapp(t, owner)).id;
      clerk = await as(['read', 'update', 'delete'].map((action) => ({ action, subject: 'Channel', conditions: { type: 'email' } })));
    });

    it('lists only the channels the read conditions match', async () => {
      const all = await t.http().get(ws('/channels')).set(owner.auth).expect(200);
      expect(all.body.data.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([email, whatsapp]));
      const mine = await t.http().get(ws('/channels')).set(clerk.auth).expect(200);
      expect(mine.body.data.map((c: { type: string }) => c.type)).toEqual(['email']);
    });

    it('reads, renames and disconnects an email channel but gets 403 on a WhatsApp one', async () => {
      await t.http().get(ws(`/channels/${email}`)).set(clerk.auth).expect(200);
      expectProblem(await t.http().get(ws(`/channels/${whatsapp}`)).set(clerk.auth), 403, 'forbidden');

      const renamed = await t.http().patch(ws(`/channels/${email}`)).set(clerk.auth).send({ name: 'Inbox' }).expect(200);
      expect(renamed.body.name).toBe('Inbox');
      expectProblem(await t.http().patch(ws(`/channels/${whatsapp}`)).set(clerk.auth).send({ name: 'Hijacked' }), 403, 'forbidden');

      expectProblem(await t.http().delete(ws(`/channels/${whatsapp}`)).set(clerk.auth), 403, 'forbidden');
      const untouched = await t.http().get(ws(`/channels/${whatsapp}`)).set(owner.auth).expect(200);
      expect(untouched.body).toMatchObject({ name: 'WhatsApp', status: 'active' });

      await t.http().delete(ws(`/channels/${email}`)).set(clerk.auth).expect(204);
      expect((await t.http().get(ws(`/channels/${email}`)).set(owner.auth).expect(200)).body.status).toBe('disconnected');
    });
  });

  describe('members', () => {
    let roleIds: Record<string, string>;
    beforeAll(async () => {
      const roles = await t.http().get(ws('/roles')).set(owner.auth).expect(200);
      roleIds = Object.fromEntries(roles.body.data.map((r: { name: string; id: string }) => [r.name, r.id]));
    });

    it('changes and removes agents only when the conditions say `roleId` is the agent role', async () => {
      // The viewer's rules too: a caller may only hand out a role its own role covers.
      const viewerRules = ['Workspace', 'Contact', 'Conversation', 'Message', 'Channel', 'Usage'].map((subject) => ({ action: 'read', subject }));
      const lead = await as([
        ...viewerRules,
        { action: 'read', subject: 'Member' },
        { action: 'update', subject: 'Member', conditions: { roleId: roleIds.agent } },
        { action: 'delete', subject: 'Member', conditions: { roleId: roleIds.agent } },
      ]);
      const [agentA, agentB, viewer] = [await inviteMember(t, owner, 'agent'), await inviteMember(t, owner, 'agent'), await inviteMember(t, owner, 'viewer')];

      const demoted = await t.http().patch(ws(`/members/${agentA}`)).set(lead.auth).send({ role: 'viewer' }).expect(200);
      expect(demoted.body.role).toBe('viewer');
      expectProblem(await t.http().patch(ws(`/members/${viewer}`)).set(lead.auth).send({ role: 'viewer' }), 403, 'forbidden');
      // agentA is a viewer now, so the same conditions no longer reach it.
      expectProblem(await t.http().delete(ws(`/members/${agentA}`)).set(lead.auth), 403, 'forbidden');
      expectProblem(await t.http().delete(ws(`/members/${viewer}`)).set(lead.auth), 403, 'forbidden');
      await t.http().delete(ws(`/members/${agentB}`)).set(lead.auth).expect(204);

      const left = (await t.http().get(ws('/members?limit=200')).set(owner.auth).expect(200)).body.data.map((m: { id: string }) => m.id);
      expect(left).toEqual(expect.arrayContaining([agentA, viewer]));
      expect(left).not.toContain(agentB);
    });

    it('pages through only the members the read conditions match, with full pages', async () => {
      const reader = await as([{ action: 'read', subject: 'Member', conditions: { status: 'invited' } }]);
      for (let i = 0; i < 3; i++) await inviteMember(t, owner, 'viewer');
      const expected = (await t.http().get(ws('/members?limit=200')).set(owner.auth).expect(200)).body.data
        .filter((m: { status: string }) => m.status === 'invited')
        .map((m: { id: string }) => m.id);
      expect(expected.length).toBeGreaterThanOrEqual(4);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await t.http().get(ws('/members')).query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(reader.auth).expect(200);
        if (res.body.nextCursor) expect(res.body.data).toHaveLength(2);
        expect(res.body.data.every((m: { status: string }) => m.status === 'invited')).toBe(true);
        seen.push(...res.body.data.map((m: { id: string }) => m.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
    });
  });

  describe('roles', () => {
    it('edits and deletes only the role its conditions name', async () => {
      const editable = await createRole(t, owner, [{ action: 'read', subject: 'Contact' }], uniqueName('editable'));
      const other = await createRole(t, owner, [{ action: 'read', subject: 'Contact' }]);
      const curator = await as([
        { action: 'read', subject: 'Contact' },
        { action: 'read', subject: 'Role' },
        { action: 'update', subject: 'Role', conditions: { id: editable.id } },
        { action: 'delete', subject: 'Role', conditions: { id: editable.id } },
      ]);
      expectProblem(await t.http().patch(ws(`/roles/${other.id}`)).set(curator.auth).send({ name: uniqueName('renamed') }), 403, 'forbidden');
      expectProblem(await t.http().delete(ws(`/roles/${other.id}`)).set(curator.auth), 403, 'forbidden');
      await t.http().patch(ws(`/roles/${editable.id}`)).set(curator.auth).send({ name: uniqueName('renamed') }).expect(200);
      await t.http().delete(ws(`/roles/${editable.id}`)).set(curator.auth).expect(204);
      await t.http().patch(ws(`/roles/${other.id}`)).set(owner.auth).send({ name: uniqueName('still-there') }).expect(200);
    });
  });

  describe('API keys', () => {
    it('lists and revokes only the keys its conditions name; the other key keeps working', async () => {
      const ci = await apiKey(t, owner, 'viewer');
      const other = await apiKey(t, owner, 'viewer');
      const rotator = await as([
        { action: 'read', subject: 'ApiKey', conditions: { id: ci.id } },
        { action: 'delete', subject: 'ApiKey', conditions: { id: ci.id } },
      ]);
      const listed = await t.http().get(ws('/api-keys')).set(rotator.auth).expect(200);
      expect(listed.body.data.map((k: { id: string }) => k.id)).toEqual([ci.id]);

      expectProblem(await t.http().delete(ws(`/api-keys/${other.id}`)).set(rotator.auth), 403, 'forbidden');
      await t.http().get(ws('')).set(other.headers).expect(200);

      await t.http().delete(ws(`/api-keys/${ci.id}`)).set(rotator.auth).expect(204);
      expectProblem(await t.http().get(ws('')).set(ci.headers), 401, 'unauthorized');
    });
  });

  describe('webhook events', () => {
    it('lists and replays only events whose status the conditions name', async () => {
      const wa = await connectWhatsapp(t, owner);
      await postWhatsapp(t, wa.id, { hello: 'world' }, wa.appSecret).expect(200);
      await postWhatsapp(t, wa.id, waInbound(waText('hi', `wamid.R${Date.now()}`)), wa.appSecret).expect(200);
      const events = await waitForLedger(t, owner, wa.id, (e) => e.length === 2 && e.every((x) => x.status !== 'pending'));
      const ignored = events.find((e) => e.status === 'ignored')!;
      const processed = events.find((e) => e.status === 'processed')!;

      const operator = await as(['read', 'update'].map((action) => ({ action, subject: 'WebhookEvent', conditions: { status: 'ignored' } })));
      const listed = await t.http().get(ws(`/channels/${wa.id}/webhook-events`)).set(operator.auth).expect(200);
      expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([ignored.id]);

      expectProblem(await t.http().post(ws(`/channels/${wa.id}/webhook-events/${processed.id}/replay`)).set(operator.auth), 403, 'forbidden');
      await t.http().post(ws(`/channels/${wa.id}/webhook-events/${ignored.id}/replay`)).set(operator.auth).expect(202);
    });
  });

  describe('audit events', () => {
    it('lists only the entries the read conditions match', async () => {
      const auditor = await as([{ action: 'read', subject: 'AuditEvent', conditions: { action: 'channel.connected' } }]);
      const all = await t.http().get(ws('/audit-events?limit=200')).set(owner.auth).expect(200);
      const expected = all.body.data.filter((e: { action: string }) => e.action === 'channel.connected').map((e: { id: string }) => e.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(all.body.data.length).toBeGreaterThan(expected.length);
      const mine = await t.http().get(ws('/audit-events?limit=200')).set(auditor.auth).expect(200);
      expect(mine.body.data.map((e: { id: string }) => e.id)).toEqual(expected);
    });
  });
});
