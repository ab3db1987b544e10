import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContactMergeChange, ContactMergeParticipant, ContactMergeRegistry, IdentityService } from '../../src/modules/identity';
import { CONTACT_MERGE_REGISTRY, IDENTITY_SERVICE } from '../../src/modules/identity/identity.tokens';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

interface ContactBody {
  id: string;
  name: string | null;
  identifiers: { id: string; kind: string; value: string; verified: boolean; source: string }[];
  lastSeenAt: string | null;
}

/** Stands in for messaging: records what it was asked to move, and can refuse. */
class RecordingParticipant implements ContactMergeParticipant {
  readonly name = 'test-recorder';
  readonly calls: { hook: 'merge' | 'undo'; change: ContactMergeChange; inTransaction: boolean }[] = [];
  fail = false;

  async onMerge(em: EntityManager, change: ContactMergeChange): Promise<void> {
    this.calls.push({ hook: 'merge', change, inTransaction: em.isInTransaction() });
    // The participant sees the merge's own uncommitted writes through the em it is handed.
    const [row] = await em.execute<{ merged_into_id: string | null }[]>('select merged_into_id from contacts where id = ?', [change.sourceContactId]);
    if (row.merged_into_id !== change.targetContactId) throw new Error('participant ran outside the merge transaction');
    if (this.fail) throw new Error('participant refused');
  }

  async onUndo(em: EntityManager, change: ContactMergeChange): Promise<void> {
    this.calls.push({ hook: 'undo', change, inTransaction: em.isInTransaction() });
  }
}

const randomDigits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
/** A British mobile number in the drama range, unique per call: national form and wa_id digits. */
const ukMobile = () => {
  const local = `7700${randomDigits(6)}`;
  return { national: `0${local}`, e164: `+44${local}`, waId: `44${local}` };
};

describe('identity resolution (IdentityService through the app container)', () => {
  let t: TestApp;
  let owner: Account;
  let identity: IdentityService;
  let registry: ContactMergeRegistry;
  const participant = new RecordingParticipant();

  const url = (rest = '') => `/v1/workspaces/${owner.workspaceId}/contacts${rest}`;
  const get = async (id: string): Promise<ContactBody> => (await t.http().get(url(`/${id}`)).set(owner.auth).expect(200)).body;
  const create = async (body: object): Promise<ContactBody> => (await t.http().post(url()).set(owner.auth).send(body).expect(201)).body;
  const kinds = (c: { identifiers: { kind: string; value: string }[] }) => c.identifiers.map((i) => `${i.kind}:${i.value}`).sort();

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t, 'resolution');
    await t.http().patch(`/v1/workspaces/${owner.workspaceId}`).set(owner.auth).send({ settings: { defaultCountry: 'GB' } }).expect(200);
    identity = t.app.get<IdentityService>(IDENTITY_SERVICE);
    registry = t.app.get<ContactMergeRegistry>(CONTACT_MERGE_REGISTRY);
    registry.register(participant);
  }, 30_000);
  afterAll(() => t.close());
  beforeEach(() => {
    participant.calls.length = 0;
    participant.fail = false;
  });

  it('joins a WhatsApp sender to the contact whose phone has the same digits, adding the wa_id', async () => {
    const phone = ukMobile();
    const known = await create({ name: 'Priya', identifiers: [{ kind: 'phone', value: phone.national }] });
    const resolved = await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: phone.waId, displayName: 'Priya P' }, 'whatsapp');
    const contact = await get(known.id);
    // The identifier the message came through, so messaging can tell the sender's messages apart after a merge.
    expect(resolved).toEqual({ contactId: known.id, created: false, identifierId: contact.identifiers.find((i) => i.kind === 'whatsapp')!.id });
    expect(contact.name).toBe('Priya');
    expect(contact.lastSeenAt).toEqual(expect.any(String));
    expect(contact.identifiers).toEqual([
      expect.objectContaining({ kind: 'phone', value: phone.e164, verified: true, source: 'api' }),
      expect.objectContaining({ kind: 'whatsapp', value: phone.waId, verified: true, source: 'whatsapp' }),
    ]);

    // A business-scoped user id with the phone beside it joins the same way.
    const other = ukMobile();
    const byPhone = await create({ identifiers: [{ kind: 'phone', value: other.e164 }] });
    const bsuid = `GB.${randomDigits(18)}`;
    expect(await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: bsuid, phone: other.waId }, 'whatsapp')).toEqual({ contactId: byPhone.id, created: false, identifierId: expect.any(String) });
    expect(kinds(await get(byPhone.id))).toEqual([`phone:${other.e164}`, `whatsapp:${bsuid}`]);
  });

  it('creates a new WhatsApp sender once, with its wa_id and a verified phone, and finds it again', async () => {
    const phone = ukMobile();
    const first = await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: phone.waId, displayName: '  Ana  ' }, 'whatsapp');
    expect(first.created).toBe(true);
    const summary = await identity.getContact(owner.workspaceId, first.contactId);
    expect(summary).toEqual({
      id: first.contactId,
      name: 'Ana',
      processingRestricted: false,
      mergedIntoId: null,
      identifiers: [
        { id: expect.any(String), kind: 'whatsapp', value: phone.waId, verified: true, source: 'whatsapp', undeliverable: false },
        { id: expect.any(String), kind: 'phone', value: phone.e164, verified: true, source: 'whatsapp', undeliverable: false },
      ],
    });
    expect(await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: `+${phone.waId}`, displayName: 'Ana Again' }, 'whatsapp')).toEqual({ contactId: first.contactId, created: false, identifierId: expect.any(String) });
    expect(await identity.identifiersOf(owner.workspaceId, first.contactId)).toEqual(summary!.identifiers);
    expect((await get(first.contactId)).name).toBe('Ana');
  });

  it('matches email senders case-insensitively, Telegram users by id, and fills an empty name', async () => {
    const email = `Ops-${randomDigits(6)}@Client.Example`;
    const known = await create({ identifiers: [{ kind: 'email', value: email }] });
    expect(await identity.resolveSender(owner.workspaceId, { kind: 'email', value: ` ${email.toUpperCase()} `, displayName: 'Ops Team' }, 'email')).toEqual({ contactId: known.id, created: false, identifierId: expect.any(String) });
    expect((await get(known.id)).name).toBe('Ops Team');

    const userId = randomDigits(9);
    const created = await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId, displayName: 'Tele Gram' }, 'telegram');
    expect(created.created).toBe(true);
    expect(await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId }, 'telegram')).toEqual({ contactId: created.contactId, created: false, identifierId: expect.any(String) });
    expect(kinds(await get(created.contactId))).toEqual([`telegram:${userId}`]);
    await expect(identity.resolveSender(owner.workspaceId, { kind: 'email', value: 'not-an-address' }, 'email')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('turns ten concurrent first messages from one new person into one contact', async () => {
    for (const sender of [
      { kind: 'whatsapp' as const, value: ukMobile().waId, displayName: 'Rush' },
      { kind: 'email' as const, value: `rush-${randomDigits(6)}@example.com`, displayName: 'Rush' },
    ]) {
      const results = await Promise.all(Array.from({ length: 10 }, () => identity.resolveSender(owner.workspaceId, sender, sender.kind)));
      expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const rows = await sql<{ contact_id: string }>('select contact_id from contact_identifiers where workspace_id = $1 and kind = $2 and value = $3', [owner.workspaceId, sender.kind, sender.value]);
      expect(rows).toEqual([{ contact_id: results[0].contactId }]);
    }
    // The losers' contacts rolled back with their identifiers: no contact without one.
    const orphans = await sql('select id from contacts c where workspace_id = $1 and not exists (select 1 from contact_identifiers i where i.contact_id = c.id) and merged_into_id is null', [owner.workspaceId]);
    expect(orphans).toEqual([]);
  });

  it("merges a Telegram user who shares their own card into the older contact with that phone, journaled and undoable", async () => {
    const phone = ukMobile();
    const older = await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: phone.waId, displayName: 'Wanda' }, 'whatsapp');
    const userId = randomDigits(9);
    const newer = await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId, displayName: 'Wanda T' }, 'telegram');

    const result = await identity.applyContactCard(owner.workspaceId, newer.contactId, { phone: phone.e164, userId }, userId);
    expect(result).toEqual({ contactId: older.contactId, mergeId: expect.any(String) });
    expect((await identity.getContact(owner.workspaceId, newer.contactId))?.mergedIntoId).toBe(older.contactId);
    const gone = await t.http().get(url(`/${newer.contactId}`)).set(owner.auth);
    expectProblem(gone, 404, 'not_found');
    expect(gone.body.mergedInto).toBe(older.contactId);
    expect(kinds(await get(older.contactId))).toEqual([`phone:${phone.e164}`, `telegram:${userId}`, `whatsapp:${phone.waId}`]);

    const journal = (await t.http().get(url(`/${older.contactId}/merges`)).set(owner.auth).expect(200)).body.data;
    expect(journal).toEqual([
      expect.objectContaining({ id: result.mergeId, targetContactId: older.contactId, sourceContactId: newer.contactId, reason: 'telegram_contact_card', automatic: true, actor: { type: 'system', id: 'system' }, undoneAt: null }),
    ]);
    const change = {
      workspaceId: owner.workspaceId,
      mergeId: result.mergeId,
      targetContactId: older.contactId,
      sourceContactId: newer.contactId,
      movedIdentifierIds: [newer.identifierId],
      movedIdentifierValues: [userId],
      mergedAt: expect.any(Date),
    };
    expect(participant.calls).toEqual([{ hook: 'merge', change, inTransaction: true }]);
    const audit = (await t.http().get(`/v1/workspaces/${owner.workspaceId}/audit-events`).query({ action: 'contact.merged' }).set(owner.auth).expect(200)).body.data;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ actor: { type: 'system', id: 'system' }, subjectId: older.contactId })]));

    await t.http().post(url(`/${older.contactId}/merges/${result.mergeId}/undo`)).set(owner.auth).expect(200);
    expect(participant.calls.at(-1)).toEqual({ hook: 'undo', change, inTransaction: true });
    expect(kinds(await get(newer.contactId))).toEqual([`telegram:${userId}`]);
    expect(kinds(await get(older.contactId))).toEqual([`phone:${phone.e164}`, `whatsapp:${phone.waId}`]);
  });

  it('keeps the card sender’s contact when it is the older one, and takes the WhatsApp contact over', async () => {
    const userId = randomDigits(9);
    const sender = await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId }, 'telegram');
    const phone = ukMobile();
    const whatsappLater = await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: phone.waId }, 'whatsapp');
    const result = await identity.applyContactCard(owner.workspaceId, sender.contactId, { phone: phone.waId, userId }, userId);
    expect(result).toEqual({ contactId: sender.contactId, mergeId: expect.any(String) });
    expect(kinds(await get(sender.contactId))).toEqual([`phone:${phone.e164}`, `telegram:${userId}`, `whatsapp:${phone.waId}`]);
    expect((await identity.getContact(owner.workspaceId, whatsappLater.contactId))?.mergedIntoId).toBe(sender.contactId);
  });

  it('merges on a verified WhatsApp id even when nobody holds the phone, and adds the card’s phone', async () => {
    const phone = ukMobile();
    // An agent removed the phone a WhatsApp sender gains, so only the provider-verified wa_id links them.
    const waContact = await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: phone.waId }, 'whatsapp');
    const phoneRow = (await get(waContact.contactId)).identifiers.find((i) => i.kind === 'phone')!;
    await t.http().delete(url(`/${waContact.contactId}/identifiers/${phoneRow.id}`)).set(owner.auth).expect(204);
    const userId = randomDigits(9);
    const sender = await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId }, 'telegram');
    const result = await identity.applyContactCard(owner.workspaceId, sender.contactId, { phone: phone.e164, userId }, userId);
    expect(result).toEqual({ contactId: waContact.contactId, mergeId: expect.any(String) });
    expect((await get(waContact.contactId)).identifiers).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'phone', value: phone.e164, verified: true, source: 'contact_card' })]),
    );
  });

  it('never merges on a phone an agent typed: the card sender keeps their contact and the pair is suggested', async () => {
    const phone = ukMobile();
    const typed = await create({ name: 'Typed by an agent', identifiers: [{ kind: 'phone', value: phone.national }] });
    const userId = randomDigits(9);
    const sender = await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId }, 'telegram');

    for (let i = 0; i < 2; i++) expect(await identity.applyContactCard(owner.workspaceId, sender.contactId, { phone: phone.waId, userId }, userId)).toEqual({ contactId: sender.contactId });
    expect(participant.calls).toEqual([]);
    expect((await identity.getContact(owner.workspaceId, sender.contactId))?.mergedIntoId).toBeNull();
    expect(kinds(await get(sender.contactId))).toEqual([`telegram:${userId}`]);
    expect((await get(typed.id)).identifiers).toEqual([expect.objectContaining({ kind: 'phone', value: phone.e164, verified: false, source: 'api' })]);
    expect((await t.http().get(url(`/${typed.id}/merges`)).set(owner.auth).expect(200)).body.data).toEqual([]);

    const pairs: { contactIds: string[]; reason: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = (await t.http().get(url('/duplicates')).query({ limit: 200, ...(cursor ? { cursor } : {}) }).set(owner.auth).expect(200)).body;
      pairs.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const mine = pairs.filter((p) => p.contactIds.includes(sender.contactId));
    expect(mine).toEqual([{ contactIds: [typed.id, sender.contactId].sort(), reason: 'same_phone_unverified' }]);

    // An agent who agrees merges them by hand; the suggestion then goes away.
    await t.http().post(url(`/${typed.id}/merge`)).set(owner.auth).send({ sourceContactId: sender.contactId }).expect(200);
    const after = (await t.http().get(url('/duplicates')).query({ limit: 200 }).set(owner.auth).expect(200)).body.data;
    expect(after.filter((p: { contactIds: string[] }) => p.contactIds.includes(sender.contactId))).toEqual([]);
  });

  it("ignores a card of someone else, and only adds the sender's own phone when nobody has it", async () => {
    const userId = randomDigits(9);
    const sender = await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId }, 'telegram');
    const phone = ukMobile();
    const holder = await create({ identifiers: [{ kind: 'phone', value: phone.e164 }] });

    expect(await identity.applyContactCard(owner.workspaceId, sender.contactId, { phone: phone.e164, userId: randomDigits(9) }, userId)).toEqual({ contactId: sender.contactId });
    expect(await identity.applyContactCard(owner.workspaceId, sender.contactId, { phone: phone.e164 }, userId)).toEqual({ contactId: sender.contactId });
    expect(kinds(await get(sender.contactId))).toEqual([`telegram:${userId}`]);
    expect(kinds(await get(holder.id))).toEqual([`phone:${phone.e164}`]);
    expect(participant.calls).toEqual([]);

    const own = ukMobile();
    expect(await identity.applyContactCard(owner.workspaceId, sender.contactId, { phone: own.national, userId }, userId)).toEqual({ contactId: sender.contactId });
    expect((await get(sender.contactId)).identifiers).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'phone', value: own.e164, verified: true, source: 'contact_card' })]),
    );
  });

  it('rolls the whole merge back when a participant fails', async () => {
    const phone = ukMobile();
    const older = await identity.resolveSender(owner.workspaceId, { kind: 'whatsapp', value: phone.waId }, 'whatsapp');
    const userId = randomDigits(9);
    const newer = await identity.resolveSender(owner.workspaceId, { kind: 'telegram', value: userId }, 'telegram');
    participant.fail = true;
    await expect(identity.applyContactCard(owner.workspaceId, newer.contactId, { phone: phone.e164, userId }, userId)).rejects.toThrow('participant refused');
    expect((await identity.getContact(owner.workspaceId, newer.contactId))?.mergedIntoId).toBeNull();
    expect(kinds(await get(newer.contactId))).toEqual([`telegram:${userId}`]);
    expect(kinds(await get(older.contactId))).toEqual([`phone:${phone.e164}`, `whatsapp:${phone.waId}`]);
    expect((await t.http().get(url(`/${older.contactId}/merges`)).set(owner.auth).expect(200)).body.data).toEqual([]);

    // Through the API too: nothing moved, nothing journaled.
    const res = await t.http().post(url(`/${older.contactId}/merge`)).set(owner.auth).send({ sourceContactId: newer.contactId });
    expectProblem(res, 500, 'internal_error');
    expect(kinds(await get(newer.contactId))).toEqual([`telegram:${userId}`]);
  });

  it('answers only within the workspace', async () => {
    const stranger = await signup(t, 'stranger');
    const theirs = await identity.resolveSender(stranger.workspaceId, { kind: 'telegram', value: randomDigits(9) }, 'telegram');
    expect(await identity.getContact(owner.workspaceId, theirs.contactId)).toBeNull();
    expect(await identity.identifiersOf(owner.workspaceId, theirs.contactId)).toEqual([]);
    expect(await identity.getContact(stranger.workspaceId, theirs.contactId)).toMatchObject({ id: theirs.contactId });
    expect(await identity.getContact(owner.workspaceId, 'not-a-uuid')).toBeNull();
    expect(await identity.applyContactCard(owner.workspaceId, theirs.contactId, { phone: ukMobile().e164, userId: '1' }, '1')).toEqual({ contactId: theirs.contactId });
    expect(await identity.identifiersOf(stranger.workspaceId, theirs.contactId)).toHaveLength(1);
  });
});
