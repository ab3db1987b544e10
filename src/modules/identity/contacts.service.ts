import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { assertCan, canSeePii, isUuid, RequestCtx } from '../../common/authz';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors';
import { DomainEventsSubscriber } from '../../common/events';
import { Page, PageQuery, decodeCursor, decodeIdCursor, toPage } from '../../common/pagination';
import { isUniqueViolation } from '../../infrastructure/database';
import { WorkspacesService } from '../workspaces';
import { findLiveContact, identifiersOfContacts } from './contact-lookup';
import { ContactView, toContactView } from './contact.view';
import { ContactQuery, CreateContactDto, IdentifierInputDto, UpdateContactDto } from './dto/contact.dto';
import { DuplicateReason, phoneSimilarity } from './duplicate-heuristics';
import { ContactIdentifier } from './entities/contact-identifier.entity';
import { Contact } from './entities/contact.entity';
import { IDENTIFIER_KINDS, IdentifierKind, normalizeIdentifier, normalizePhone } from './identifier-normalizer';
import { identifierTaken, InvalidIdentifierError } from './identity.errors';

interface NormalizedInput {
  kind: IdentifierKind;
  value: string;
  /** The request field it came from, for 400 and 409 answers. */
  field: string;
  source: string;
}

export interface DuplicatePair {
  contactIds: [string, string];
  reason: DuplicateReason;
}

type PairCursor = { a: string; b: string; s: string };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const PHONE_QUERY = /^\+?\d{3,}$/;

@Injectable()
export class ContactsService {
  constructor(
    private readonly em: EntityManager,
    private readonly workspaces: WorkspacesService,
    private readonly domainEvents: DomainEventsSubscriber,
  ) {}

  /** Newest first; with `query`, contacts whose name or an identifier contains it. Merged-away ones never show. */
  async list(ctx: RequestCtx, q: ContactQuery): Promise<Page<ContactView>> {
    const after = decodeIdCursor(q.cursor);
    const query = q.query?.trim();
    const contacts = query
      ? await this.em.find(Contact, { workspaceId: ctx.workspaceId, id: { $in: await this.search(ctx, query, after, q.limit + 1) } }, { orderBy: { id: 'desc' } })
      : await this.em.find(Contact, { workspaceId: ctx.workspaceId, mergedIntoId: null, ...(after ? { id: { $lt: after } } : {}) }, { orderBy: { id: 'desc' }, limit: q.limit + 1 });
    const identifiers = await identifiersOfContacts(this.em, ctx.workspaceId, contacts.slice(0, q.limit).map((c) => c.id));
    return toPage(contacts, q.limit, (c) => ({ id: c.id }), (c) => toContactView(ctx, c, identifiers.get(c.id)!));
  }

  async create(ctx: RequestCtx, dto: CreateContactDto): Promise<ContactView> {
    const inputs = await this.normalize(ctx.workspaceId, dto.identifiers ?? [], (i) => `identifiers[${i}].value`);
    if (!inputs.length && !dto.name?.trim()) throw new ValidationFailedError([{ field: 'name', message: 'a contact needs a name or at least one identifier' }]);
    // Issue 7: compliance's suppression check (erased people's opt-outs, kept as salted hashes) belongs here.
    const view = await this.claiming(ctx, inputs, async (em) => {
      await this.assertUnclaimed(em, ctx.workspaceId, inputs);
      const contact = em.create(Contact, { workspaceId: ctx.workspaceId, name: dto.name?.trim() || null });
      const identifiers = inputs.map((input) => this.newIdentifier(em, ctx.workspaceId, contact.id, input));
      await em.flush();
      return toContactView(ctx, contact, identifiers);
    });
    this.domainEvents.emitAfterCommit(this.em, 'contact.created', { workspaceId: ctx.workspaceId, contactId: view.id });
    return view;
  }

  async get(ctx: RequestCtx, contactId: string): Promise<ContactView> {
    const contact = await findLiveContact(this.em, ctx.workspaceId, contactId);
    assertCan(ctx, 'read', 'Contact', contact);
    return this.view(ctx, contact);
  }

  /** The right to correction: only the fields sent change; `name: null` clears it. */
  async update(ctx: RequestCtx, contactId: string, dto: UpdateContactDto): Promise<ContactView> {
    const contact = await findLiveContact(this.em, ctx.workspaceId, contactId);
    assertCan(ctx, 'update', 'Contact', contact);
    if (dto.name !== undefined) contact.name = dto.name?.trim() || null;
    if (dto.processingRestricted !== undefined) contact.processingRestricted = dto.processingRestricted;
    await this.em.flush();
    return this.view(ctx, contact);
  }

  /** Adding an identifier the contact already has changes nothing. */
  async addIdentifier(ctx: RequestCtx, contactId: string, dto: IdentifierInputDto): Promise<ContactView> {
    const inputs = await this.normalize(ctx.workspaceId, [dto], () => 'value');
    await this.claiming(ctx, inputs, async (em) => {
      const contact = await findLiveContact(em, ctx.workspaceId, contactId, LockMode.PESSIMISTIC_READ);
      assertCan(ctx, 'update', 'Contact', contact);
      if (await this.assertUnclaimed(em, ctx.workspaceId, inputs, contact.id)) return;
      this.newIdentifier(em, ctx.workspaceId, contact.id, inputs[0]);
      await em.flush();
    });
    return this.get(ctx, contactId);
  }

  async removeIdentifier(ctx: RequestCtx, contactId: string, identifierId: string): Promise<void> {
    const contact = await findLiveContact(this.em, ctx.workspaceId, contactId);
    assertCan(ctx, 'update', 'Contact', contact);
    const identifier = await this.em.findOne(ContactIdentifier, { id: identifierId, workspaceId: ctx.workspaceId, contactId: contact.id });
    if (!identifier) throw new NotFoundError('Identifier');
    await this.em.removeAndFlush(identifier);
  }

  /**
   * Weaker signals than a shared verified identifier, so suggested and never merged: the same name
   * with the same email domain, phone numbers differing only by a trunk 0 or the country code, and
   * recorded hints (a Telegram user's own card with a phone another contact has unverified).
   */
  async duplicates(ctx: RequestCtx, q: PageQuery): Promise<Page<DuplicatePair>> {
    const after = this.decodePairCursor(q.cursor);
    const rows = await this.em.execute<{ a_id: string; b_id: string; signal: string; a_value: string | null; b_value: string | null }[]>(
      `select * from (
         select a.id as a_id, b.id as b_id, 'same_name_and_email_domain' as signal, null as a_value, null as b_value
         from contacts a
         join contacts b on b.workspace_id = a.workspace_id and lower(b.name) = lower(a.name) and b.id > a.id and b.merged_into_id is null
         where a.workspace_id = ? and a.merged_into_id is null and a.name is not null and btrim(a.name) <> ''
           and exists (
             select 1 from contact_identifiers ea
             join contact_identifiers eb on eb.workspace_id = ea.workspace_id and eb.contact_id = b.id and eb.kind = 'email'
               and split_part(eb.value, '@', 2) = split_part(ea.value, '@', 2)
             where ea.workspace_id = a.workspace_id and ea.contact_id = a.id and ea.kind = 'email')
         union all
         (select distinct on (x.contact_id, y.contact_id) x.contact_id, y.contact_id, 'phone', x.value, y.value
          from contact_identifiers x
          join contact_identifiers y on y.workspace_id = x.workspace_id and y.match_key = x.match_key and y.contact_id > x.contact_id
          where x.workspace_id = ? and x.match_key is not null
          order by x.contact_id, y.contact_id, x.value, y.value)
         union all
         select h.first_contact_id, h.second_contact_id, h.reason, null, null
         from contact_duplicate_hints h
         join contacts a on a.workspace_id = h.workspace_id and a.id = h.first_contact_id and a.merged_into_id is null
         join contacts b on b.workspace_id = h.workspace_id and b.id = h.second_contact_id and b.merged_into_id is null
         where h.workspace_id = ?
       ) pairs
       ${after ? 'where (a_id, b_id, signal) > (?, ?, ?)' : ''}
       order by a_id, b_id, signal
       limit ?`,
      [ctx.workspaceId, ctx.workspaceId, ctx.workspaceId, ...(after ? [after.a, after.b, after.s] : []), q.limit + 1],
    );
    return toPage(
      rows,
      q.limit,
      (r) => ({ a: r.a_id, b: r.b_id, s: r.signal }),
      (r) => ({
        contactIds: [r.a_id, r.b_id],
        reason: r.signal === 'phone' ? (phoneSimilarity(r.a_value!, r.b_value!) ?? 'same_phone_number') : (r.signal as DuplicateReason),
      }),
    );
  }

  private async view(ctx: RequestCtx, contact: Contact): Promise<ContactView> {
    const identifiers = await identifiersOfContacts(this.em, ctx.workspaceId, [contact.id]);
    return toContactView(ctx, contact, identifiers.get(contact.id)!);
  }

  /**
   * Ids of live contacts whose name or an identifier contains `query`, newest first. Callers who may
   * not read PII only match names and Telegram ids: matching a masked email or phone would reveal it.
   */
  private async search(ctx: RequestCtx, query: string, after: string | undefined, limit: number): Promise<string[]> {
    const kinds = canSeePii(ctx) ? [...IDENTIFIER_KINDS] : ['telegram'];
    const valueMatches = ['i.value ilike ?'];
    const params: unknown[] = [`%${escapeLike(query)}%`];
    const digits = query.replace(/[\s().\-/]/g, '');
    if (kinds.includes('phone') && PHONE_QUERY.test(digits)) {
      valueMatches.push('i.value like ?');
      params.push(`%${digits.replace('+', '')}%`);
      const e164 = await this.phoneOrNull(ctx.workspaceId, query);
      if (e164) {
        valueMatches.push('i.value in (?, ?)');
        params.push(e164, e164.slice(1));
      }
    }
    const rows = await this.em.execute<{ id: string }[]>(
      `select c.id from contacts c
       where c.workspace_id = ? and c.merged_into_id is null ${after ? 'and c.id < ?' : ''}
         and (c.name ilike ? or exists (
           select 1 from contact_identifiers i
           where i.workspace_id = c.workspace_id and i.contact_id = c.id and i.kind in (?) and (${valueMatches.join(' or ')})))
       order by c.id desc
       limit ?`,
      [ctx.workspaceId, ...(after ? [after] : []), `%${escapeLike(query)}%`, kinds, ...params, limit],
    );
    return rows.map((r) => r.id);
  }

  /** A national-format query (`07700 900123`) finds the E.164 value it stands for. */
  private async phoneOrNull(workspaceId: string, query: string): Promise<string | null> {
    try {
      return normalizePhone(query, await this.workspaces.defaultCountry(workspaceId));
    } catch (e) {
      if (e instanceof InvalidIdentifierError) return null;
      throw e;
    }
  }

  /** Normalizes every input, reporting all invalid ones at once (at `fieldOf(index)`); repeated values collapse into one. */
  private async normalize(workspaceId: string, inputs: IdentifierInputDto[], fieldOf: (index: number) => string): Promise<NormalizedInput[]> {
    const country = inputs.some((i) => i.kind === 'phone') ? await this.workspaces.defaultCountry(workspaceId) : undefined;
    const errors: { field: string; message: string }[] = [];
    const normalized = new Map<string, NormalizedInput>();
    inputs.forEach((input, index) => {
      const field = fieldOf(index);
      try {
        const value = normalizeIdentifier(input.kind, input.value, country);
        if (!normalized.has(`${input.kind}:${value}`)) normalized.set(`${input.kind}:${value}`, { kind: input.kind, value, field, source: input.source ?? 'api' });
      } catch (e) {
        if (!(e instanceof InvalidIdentifierError)) throw e;
        errors.push({ field, message: e.reason });
      }
    });
    if (errors.length) throw new ValidationFailedError(errors);
    return [...normalized.values()];
  }

  /**
   * 409 when an input belongs to another contact; true when all of them already are this contact's.
   * The unique constraint settles races this check cannot see (see `claiming`).
   */
  private async assertUnclaimed(em: EntityManager, workspaceId: string, inputs: NormalizedInput[], contactId?: string): Promise<boolean> {
    if (!inputs.length) return true;
    const existing = await em.find(ContactIdentifier, { workspaceId, $or: inputs.map(({ kind, value }) => ({ kind, value })) });
    for (const input of inputs) {
      const owner = existing.find((e) => e.kind === input.kind && e.value === input.value);
      if (owner && owner.contactId !== contactId) throw identifierTaken(input.field, owner.contactId);
    }
    return existing.length === inputs.length;
  }

  /** Runs `work` in a transaction; an identifier claimed concurrently by another contact answers 409. */
  private async claiming<T>(ctx: RequestCtx, inputs: NormalizedInput[], work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.em.transactional(work);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await this.assertUnclaimed(this.em, ctx.workspaceId, inputs);
      throw new ConflictError('An identifier already belongs to another contact.');
    }
  }

  private newIdentifier(em: EntityManager, workspaceId: string, contactId: string, input: NormalizedInput): ContactIdentifier {
    return em.create(ContactIdentifier, { workspaceId, contactId, kind: input.kind, value: input.value, source: input.source });
  }

  private decodePairCursor(cursor: string | undefined): PairCursor | undefined {
    const after = decodeCursor<PairCursor>(cursor, ['a', 'b', 's']);
    if (after && (!isUuid(String(after.a)) || !isUuid(String(after.b)))) throw new ValidationFailedError([{ field: 'cursor', message: 'malformed cursor' }]);
    return after;
  }
}
