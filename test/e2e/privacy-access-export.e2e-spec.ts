import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { recordDomainEvents } from '../utils/conversations';
import { sql } from '../utils/db';
import { Account, apiKey, memberWithRole, signup } from '../utils/factories';
import { Channels, connectAll, createPerson, emailFrom, newPerson, settledRequest, telegramFrom, whatsappFrom, ws } from '../utils/privacy';
import { startApp, TestApp } from '../utils/test-app';
import { createRole, expectProblem } from '../utils/workspace-fixtures';

const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function untar(archive: Buffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      files.set(header.name, Buffer.concat(chunks).toString('utf8'));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => ex.on('finish', () => resolve()).on('error', reject));
  ex.end(gunzipSync(archive));
  await done;
  return files;
}

describe('privacy: access, restriction, exports, permissions', () => {
  let t: TestApp;
  let owner: Account;
  let ch: Channels;
  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    ch = await connectAll(t, owner);
  });
  afterAll(() => t.close());

  it('access: one JSON document with the contact, identifiers, consents, every message (attachments with links) and every raw payload that mentions them', async () => {
    const person = newPerson('access');
    const contactId = await createPerson(t, owner, person);
    await whatsappFrom(t, owner, ch, [{ person, text: 'wa' }]);
    await whatsappFrom(t, owner, ch, [{ person, text: 'STOP' }]);
    await telegramFrom(t, owner, ch, person, 'tg');
    await emailFrom(t, owner, ch, person, 'mail with a file');
    const req = await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'access', contactId }).expect(202);
    expect(req.body).toMatchObject({ type: 'access', status: 'pending', contactId });
    const done = await settledRequest(t, owner, req.body.id);
    expect(done).toMatchObject({ status: 'completed', error: null, expiresAt: expect.any(String) });
    expect(Date.parse(done.expiresAt) - Date.parse(done.completedAt)).toBe(7 * 24 * 3600 * 1000);

    const res = await t.http().get(ws(owner, `/privacy-requests/${req.body.id}/download`)).set(owner.auth).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = res.body;
    expect(doc.identity.contact).toMatchObject({ id: contactId, name: person.name });
    expect(doc.identity.identifiers.map((i: { value: string }) => i.value)).toEqual(expect.arrayContaining([person.email, person.waId, person.telegramId, person.phone]));
    expect(doc.identity.consents).toEqual([expect.objectContaining({ channel_type: 'whatsapp', status: 'opted_out' })]);
    const messageIds = (await sql<{ id: string }>('select id from messages where contact_id = $1 order by id', [contactId])).map((m) => m.id);
    expect(messageIds).toHaveLength(4);
    expect(doc.messaging.messages.map((m: { id: string }) => m.id)).toEqual(messageIds);
    const withFile = doc.messaging.messages.find((m: { attachments: unknown[] }) => m.attachments.length);
    expect(withFile.attachments[0]).toMatchObject({ filename: 'invoice.pdf', content_type: 'application/pdf', downloadUrl: expect.stringContaining(`/v1/workspaces/${owner.workspaceId}/attachments/`) });
    const ledgerIds = (await sql<{ id: string }>('select id from webhook_events where workspace_id = $1 and (raw_body like $2 or raw_body like $3 or raw_body like $4) order by id', [owner.workspaceId, `%${person.waId}%`, `%${person.telegramId}%`, `%${person.email}%`])).map((r) => r.id);
    expect(ledgerIds).toHaveLength(4);
    expect(doc.channels.rawWebhookPayloads.map((p: { id: string }) => p.id).sort()).toEqual(ledgerIds.sort());
    expect(doc.channels.rawWebhookPayloads.every((p: { payload: unknown }) => typeof p.payload === 'object')).toBe(true);

    // Expired (7 days): gone.
    await sql("update privacy_requests set expires_at = now() - interval '1 second' where id = $1", [req.body.id]);
    expectProblem(await t.http().get(ws(owner, `/privacy-requests/${req.body.id}/download`)).set(owner.auth), 404, 'not_found');
  });

  it('restriction and unrestriction set processingRestricted; business-initiated sends are then refused', async () => {
    const person = newPerson('restricted');
    const contactId = await createPerson(t, owner, person);
    await telegramFrom(t, owner, ch, person, 'hello');
    const bus = recordDomainEvents(t, ['privacy.request.completed']);
    const restrict = await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'restriction', contactId }).expect(202);
    expect(await settledRequest(t, owner, restrict.body.id)).toMatchObject({ status: 'completed' });
    bus.stop();
    expect(bus.events).toEqual([{ name: 'privacy.request.completed', payload: { workspaceId: owner.workspaceId, requestId: restrict.body.id } }]);
    const audited = await sql<{ action: string; actor_type: string }>('select action, actor_type from audit_events where subject_id = $1 order by id', [restrict.body.id]);
    expect(audited).toEqual([{ action: 'privacy.request_created', actor_type: 'user' }, { action: 'privacy.request_completed', actor_type: 'system' }]);
    expect((await t.http().get(ws(owner, `/contacts/${contactId}`)).set(owner.auth).expect(200)).body.processingRestricted).toBe(true);
    expectProblem(await t.http().post(ws(owner, '/messages')).set(owner.auth).send({ contactId, channelId: ch.telegram.id, text: 'promo' }), 422, 'processing_restricted');
    const lift = await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'unrestriction', contactId }).expect(202);
    expect(await settledRequest(t, owner, lift.body.id)).toMatchObject({ status: 'completed' });
    expect((await t.http().get(ws(owner, `/contacts/${contactId}`)).set(owner.auth).expect(200)).body.processingRestricted).toBe(false);
  });

  it('exports the whole workspace as NDJSON per table in a tar.gz, without secrets; 409 before completion, 404 after expiry', async () => {
    const person = newPerson('export');
    await createPerson(t, owner, person);
    await telegramFrom(t, owner, ch, person, 'exported');
    const created = await t.http().post(ws(owner, '/exports')).set(owner.auth).expect(202);
    expect(created.body).toMatchObject({ id: expect.any(String), status: 'pending' });
    let view = created.body;
    for (let i = 0; i < 150 && ['pending', 'running'].includes(view.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await t.http().get(ws(owner, `/exports/${created.body.id}`)).set(owner.auth).expect(200)).body;
    }
    expect(view).toMatchObject({ status: 'completed', size: expect.any(Number), expiresAt: expect.any(String) });
    const res = await t.http().get(ws(owner, `/exports/${created.body.id}/download`)).set(owner.auth).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    const files = await untar(res.body as Buffer);
    const manifest = JSON.parse(files.get('manifest.json')!);
    const lines = (name: string) => files.get(`${name}.ndjson`)!.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const [{ n: messageCount }] = await sql<{ n: number }>('select count(*)::int as n from messages where workspace_id = $1', [owner.workspaceId]);
    expect(lines('messages')).toHaveLength(messageCount);
    expect(manifest.rows.messages).toBe(messageCount);
    expect(lines('contacts').length).toBeGreaterThan(0);
    expect(lines('channels').every((c: Record<string, unknown>) => !('secrets' in c))).toBe(true);
    expect(files.get('channels.ndjson')).not.toContain(ch.telegram.botToken);
    expect(lines('workspaces')).toEqual([expect.objectContaining({ id: owner.workspaceId, settings: expect.any(Object) })]);
    expect(lines('memberships').map((m: { email: string }) => m.email)).toContain(owner.email);

    const pending = randomUUID();
    await sql("insert into exports (id, workspace_id, status, requested_by_type, requested_by_id, created_at, updated_at) values ($1, $2, 'running', 'user', $3, now(), now())", [pending, owner.workspaceId, owner.userId]);
    expectProblem(await t.http().get(ws(owner, `/exports/${pending}/download`)).set(owner.auth), 409, 'conflict');
    await sql("update exports set expires_at = now() - interval '1 second' where id = $1", [created.body.id]);
    expectProblem(await t.http().get(ws(owner, `/exports/${created.body.id}/download`)).set(owner.auth), 404, 'not_found');
    const audit = await sql('select action from audit_events where workspace_id = $1 and subject_id = $2', [owner.workspaceId, created.body.id]);
    expect(audit).toEqual([{ action: 'export.created' }]);
  });

  /** Requests an export as `creds`, waits for it, and answers the archive's files. */
  async function exportFiles(creds: Record<string, string>): Promise<Map<string, string>> {
    const created = await t.http().post(ws(owner, '/exports')).set(creds).expect(202);
    let view = created.body;
    for (let i = 0; i < 150 && ['pending', 'running'].includes(view.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await t.http().get(ws(owner, `/exports/${created.body.id}`)).set(creds).expect(200)).body;
    }
    expect(view.status).toBe('completed');
    const res = await t.http().get(ws(owner, `/exports/${created.body.id}/download`)).set(creds).buffer(true).parse(binary).expect(200);
    return untar(res.body as Buffer);
  }

  it('an export requested without read ContactPii has emails and phone numbers masked; ids and times stay', async () => {
    const person = newPerson('masked');
    const contactId = await createPerson(t, owner, person);
    const role = await createRole(t, owner, [
      { action: 'create', subject: 'Export' },
      { action: 'read', subject: 'Export' },
      { action: 'export', subject: 'Export' },
    ]);
    const key = await apiKey(t, owner, role.name);

    const masked = await exportFiles(key.headers);
    expect(JSON.parse(masked.get('manifest.json')!).piiMasked).toBe(true);
    const identifiers = masked.get('contact_identifiers.ndjson')!.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const mine = identifiers.filter((i: { contact_id: string }) => i.contact_id === contactId);
    expect(mine.map((i: { kind: string }) => i.kind).sort()).toEqual(['email', 'telegram', 'whatsapp']);
    expect(mine.find((i: { kind: string }) => i.kind === 'email').value).toBe(`${person.email[0]}•••@customer.example`);
    expect(mine.find((i: { kind: string }) => i.kind === 'whatsapp').value).toMatch(/^\d{3}•••••\d{4}$/);
    expect(mine.every((i: { created_at: string }) => !Number.isNaN(Date.parse(i.created_at)))).toBe(true);
    for (const file of masked.values()) expect(file).not.toContain(person.email);
    for (const file of masked.values()) expect(file).not.toContain(person.waId);

    const full = await exportFiles(owner.auth);
    expect(JSON.parse(full.get('manifest.json')!).piiMasked).toBe(false);
    expect(full.get('contact_identifiers.ndjson')).toContain(person.email);
  });

  it('agents and viewers cannot request erasure or access, nor export; a custom role needs erase Contact to erase', async () => {
    const person = newPerson('perm');
    const contactId = await createPerson(t, owner, person);
    const agent = await memberWithRole(t, owner, 'agent');
    const viewer = await memberWithRole(t, owner, 'viewer');
    const agentKey = await apiKey(t, owner, 'agent');
    for (const creds of [agent.auth, viewer.auth, agentKey.headers]) {
      for (const type of ['erasure', 'access', 'restriction']) {
        expectProblem(await t.http().post(ws(owner, '/privacy-requests')).set(creds).send({ type, contactId }), 403, 'forbidden');
      }
      expectProblem(await t.http().delete(ws(owner, `/contacts/${contactId}`)).set(creds), 403, 'forbidden');
      expectProblem(await t.http().post(ws(owner, '/exports')).set(creds), 403, 'forbidden');
    }
    const role = await createRole(t, owner, [{ action: 'create', subject: 'PrivacyRequest' }, { action: 'read', subject: 'PrivacyRequest' }, { action: 'export', subject: 'Contact' }]);
    const dpo = await memberWithRole(t, owner, role.name);
    expectProblem(await t.http().post(ws(owner, '/privacy-requests')).set(dpo.auth).send({ type: 'erasure', contactId }), 403, 'forbidden');
    await t.http().post(ws(owner, '/privacy-requests')).set(dpo.auth).send({ type: 'access', contactId }).expect(202);
    const admin = await memberWithRole(t, owner, 'admin');
    await t.http().post(ws(owner, '/exports')).set(admin.auth).expect(202);
    expect((await t.http().get(ws(owner, '/contacts/' + contactId)).set(owner.auth).expect(200)).body.id).toBe(contactId);
  });
});
