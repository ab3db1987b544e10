import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { catalogHits, Channels, connectAll, createPerson, emailFrom, newPerson, settledRequest, telegramFrom, whatsappFrom, ws } from '../utils/privacy';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

describe('privacy: erasure', () => {
  let t: TestApp;
  let owner: Account;
  let ch: Channels;
  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    ch = await connectAll(t, owner);
  });
  afterAll(() => t.close());

  const storageKeysOf = async (contactId: string) =>
    (await sql<{ storage_key: string }>('select a.storage_key from attachments a join messages m on m.id = a.message_id where m.contact_id = $1', [contactId])).map((r) => r.storage_key);

  it('removes everything about a person who wrote on all three channels; only the opt-out hash and pseudonymized audit entries remain', async () => {
    const person = newPerson('erased');
    const other = newPerson('other');
    const contactId = await createPerson(t, owner, person);
    await whatsappFrom(t, owner, ch, [{ person, text: 'Hi on WhatsApp' }]);
    await whatsappFrom(t, owner, ch, [{ person, text: 'STOP' }]);
    // Meta batched both customers' messages into one delivery: the payload must be redacted, not dropped.
    await whatsappFrom(t, owner, ch, [{ person, text: 'batched mine' }, { person: other, text: 'batched theirs' }]);
    await telegramFrom(t, owner, ch, person, 'Hi on Telegram');
    await emailFrom(t, owner, ch, person, 'Invoice attached');
    const conversation = (await t.http().get(ws(owner, '/conversations')).query({ contactId }).set(owner.auth).expect(200)).body.data[0];
    const reply = await t.http().post(ws(owner, `/conversations/${conversation.id}/messages`)).set(owner.auth).send({ channelId: ch.telegram.id, text: 'We are on it' }).expect(202);
    const files = await storageKeysOf(contactId);
    expect(files).toHaveLength(1);
    expect(existsSync(join(process.env.STORAGE_DIR!, files[0]))).toBe(true);
    const otherContactId = (await sql<{ contact_id: string }>("select contact_id from contact_identifiers where kind = 'whatsapp' and value = $1", [other.waId]))[0].contact_id;
    const needles = [person.email, person.phone, person.waId, person.telegramId];
    expect((await catalogHits(needles)).length).toBeGreaterThan(5);

    const erased = await t.http().delete(ws(owner, `/contacts/${contactId}`)).set(owner.auth).expect(202);
    expect(erased.body).toMatchObject({ id: expect.any(String), type: 'erasure', status: 'pending', contactId });
    expect(await settledRequest(t, owner, erased.body.id)).toMatchObject({ status: 'completed', error: null, completedAt: expect.any(String) });

    expect(await catalogHits(needles, ['suppressions.identifier_hash'])).toEqual([]);
    expect(existsSync(join(process.env.STORAGE_DIR!, files[0]))).toBe(false);
    expectProblem(await t.http().get(ws(owner, `/contacts/${contactId}`)).set(owner.auth), 404, 'not_found');
    expectProblem(await t.http().get(ws(owner, `/messages/${reply.body.id}`)).set(owner.auth), 404, 'not_found');
    // The WhatsApp opt-out survives as a salted hash only.
    expect(await sql('select channel_type from suppressions where workspace_id = $1', [owner.workspaceId])).toEqual([{ channel_type: 'whatsapp' }]);
    // The other customer's part of the batch stays: their message, and the redacted payload.
    const theirs = await sql<{ text: string }>('select text from messages where contact_id = $1', [otherContactId]);
    expect(theirs.map((m) => m.text)).toEqual(['batched theirs']);
    const batch = await sql<{ raw_body: string }>('select raw_body from webhook_events where workspace_id = $1 and raw_body like $2', [owner.workspaceId, `%${other.waId}%`]);
    expect(batch).toHaveLength(1);
    expect(batch[0].raw_body).toContain('batched theirs');
    expect(batch[0].raw_body).not.toContain('batched mine');
    // Audit entries are kept, pseudonymized.
    const created = await sql<{ changes: any }>("select changes from audit_events where workspace_id = $1 and action = 'contact.created' and subject_id = $2", [owner.workspaceId, contactId]);
    expect(created).toHaveLength(1);
    expect(JSON.stringify(created[0].changes)).toContain('[erased]');
    const actions = (await sql<{ action: string }>('select action from audit_events where workspace_id = $1 and subject_id = $2', [owner.workspaceId, erased.body.id])).map((r) => r.action);
    expect(actions.sort()).toEqual(['privacy.request_completed', 'privacy.request_created']);

    // Asking again is idempotent: the same request comes back.
    const again = await t.http().delete(ws(owner, `/contacts/${contactId}`)).set(owner.auth).expect(202);
    expect(again.body).toMatchObject({ id: erased.body.id, status: 'completed' });
    const viaPost = await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'erasure', contactId }).expect(202);
    expect(viaPost.body.id).toBe(erased.body.id);
  }, 90_000);

  it('with scope whatsapp removes only the WhatsApp part; the contact and its email stay', async () => {
    const person = newPerson('scoped');
    const contactId = await createPerson(t, owner, person);
    await whatsappFrom(t, owner, ch, [{ person, text: 'wa message' }]);
    await emailFrom(t, owner, ch, person, 'email message');
    const req = await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'erasure', contactId, scope: { channelType: 'whatsapp' } }).expect(202);
    expect(req.body).toMatchObject({ type: 'erasure', status: 'pending', scope: { channelType: 'whatsapp' } });
    expect(await settledRequest(t, owner, req.body.id)).toMatchObject({ status: 'completed', error: null });

    const contact = (await t.http().get(ws(owner, `/contacts/${contactId}`)).set(owner.auth).expect(200)).body;
    expect(contact.identifiers.map((i: { kind: string }) => i.kind).sort()).toEqual(['email', 'telegram']);
    expect(await catalogHits([person.waId, person.phone])).toEqual([]);
    const texts = (await sql<{ text: string }>('select text from messages where contact_id = $1', [contactId])).map((m) => m.text);
    expect(texts).toEqual(['email message']);
    expect((await catalogHits([person.email])).length).toBeGreaterThan(0);
  }, 60_000);

  it('refuses an unknown contact (404), a bad body (400), and agents and viewers (403)', async () => {
    expectProblem(await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'erasure', contactId: '0190c0de-0000-7000-8000-000000000000' }), 404, 'not_found');
    expectProblem(await t.http().delete(ws(owner, '/contacts/0190c0de-0000-7000-8000-000000000000')).set(owner.auth), 404, 'not_found');
    expectProblem(await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'forget', contactId: 'x' }), 400, 'validation_failed');
    expectProblem(await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'erasure', contactId: '0190c0de-0000-7000-8000-000000000000', extra: 1 }), 400, 'validation_failed');
    const stranger = await signup(t, 'stranger');
    expectProblem(await t.http().get(ws(owner, '/privacy-requests/0190c0de-0000-7000-8000-000000000000')).set(stranger.auth), 404, 'not_found');
  });
});
