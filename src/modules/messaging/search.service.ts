import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { canSeePii, maskIdentifier, RequestCtx } from '../../common/authz';
import { decodeIdCursor, Page, toPage } from '../../common/pagination';
import { SearchQuery } from './dto/search-query.dto';

export interface MessageHit {
  type: 'message';
  id: string;
  conversationId: string;
  channelId: string | null;
  direction: string;
  messageType: string;
  subject: string | null;
  snippet: string;
  createdAt: Date;
}

export interface ContactHit {
  type: 'contact';
  id: string;
  name: string | null;
  identifiers: { kind: string; value: string }[];
  snippet: string;
  createdAt: Date;
}

export type SearchHit = MessageHit | ContactHit;

interface MessageRow {
  id: string;
  conversation_id: string;
  channel_id: string | null;
  direction: string;
  type: string;
  subject: string | null;
  snippet: string;
  created_at: string;
}

interface ContactRow {
  id: string;
  name: string | null;
  created_at: string;
}

interface IdentifierRow {
  contact_id: string;
  kind: string;
  value: string;
}

/** Identifier kinds whose values are contact PII (see maskIdentifier). */
const PII_KINDS = ['email', 'phone', 'whatsapp'];

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, '\\$&')}%`;

/** "+49 151 1234" → "491511234": phone identifiers are stored as digits (E.164 without spaces). */
const phoneDigits = (q: string): string | null => (/^[\d\s()+.-]+$/.test(q) && q.replace(/\D/g, '').length >= 4 ? q.replace(/\D/g, '') : null);

/**
 * One search box over messages (PostgreSQL full text, `simple` configuration, so any language's
 * words match as written) and contacts (name or identifier fragment, trigram-indexed). Hits of both
 * kinds are merged newest first by their time-ordered ids, which keeps keyset pagination exact.
 * Only kinds the caller may read are searched; without `read ContactPii` identifiers are masked and
 * cannot be searched by their email or phone value, so a search cannot reveal what masking hides.
 * Contacts are identity's tables, read here in SQL because a search must filter and page in one query.
 */
@Injectable()
export class SearchService {
  constructor(private readonly em: EntityManager) {}

  async search(ctx: RequestCtx, q: SearchQuery): Promise<Page<SearchHit>> {
    const afterId = decodeIdCursor(q.cursor);
    const candidates: { id: string; message?: MessageHit; contact?: ContactRow }[] = [];
    if (ctx.ability.can('read', 'Message') && ctx.ability.can('read', 'Conversation')) {
      for (const message of await this.messages(ctx, q.q, afterId, q.limit + 1)) candidates.push({ id: message.id, message });
    }
    if (ctx.ability.can('read', 'Contact')) {
      for (const contact of await this.contacts(ctx, q.q, afterId, q.limit + 1)) candidates.push({ id: contact.id, contact });
    }
    candidates.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const page = toPage(candidates, q.limit, (c) => ({ id: c.id }), (c) => c);
    const identifiers = await this.identifiersOf(ctx, page.data.flatMap((c) => (c.contact ? [c.contact.id] : [])));
    return {
      data: page.data.map((c) => c.message ?? toContactHit(ctx, c.contact!, identifiers.get(c.contact!.id) ?? [])),
      nextCursor: page.nextCursor,
    };
  }

  private async messages(ctx: RequestCtx, q: string, beforeId: string | undefined, limit: number): Promise<MessageHit[]> {
    const rows = await this.em.execute<MessageRow[]>(
      `select m.id, m.conversation_id, m.channel_id, m.direction, m.type, m.subject, m.created_at,
              ts_headline('simple', coalesce(m.subject || ' — ', '') || coalesce(m.text, ''), query, 'MaxWords=30, MinWords=10, StartSel="", StopSel=""') as snippet
       from messages m, websearch_to_tsquery('simple', ?) query
       where m.workspace_id = ? and m.search_tsv @@ query ${beforeId ? 'and m.id < ?' : ''}
       order by m.id desc limit ?`,
      [q, ctx.workspaceId, ...(beforeId ? [beforeId] : []), limit],
    );
    return rows.map((r) => ({
      type: 'message',
      id: r.id,
      conversationId: r.conversation_id,
      channelId: r.channel_id,
      direction: r.direction,
      messageType: r.type,
      subject: r.subject,
      snippet: r.snippet,
      createdAt: new Date(r.created_at),
    }));
  }

  private contacts(ctx: RequestCtx, q: string, beforeId: string | undefined, limit: number): Promise<ContactRow[]> {
    const digits = phoneDigits(q);
    const pii = canSeePii(ctx);
    const identifierMatch = [
      'i.value ilike ?',
      ...(digits ? ['i.value like ?'] : []),
    ].join(' or ');
    return this.em.execute<ContactRow[]>(
      `select c.id, c.name, c.created_at from contacts c
       where c.workspace_id = ? and c.merged_into_id is null ${beforeId ? 'and c.id < ?' : ''}
         and (c.name ilike ? or exists (
           select 1 from contact_identifiers i
           where i.workspace_id = c.workspace_id and i.contact_id = c.id and (${identifierMatch})
             ${pii ? '' : `and i.kind not in (${PII_KINDS.map(() => '?').join(', ')})`}))
       order by c.id desc limit ?`,
      [
        ctx.workspaceId,
        ...(beforeId ? [beforeId] : []),
        likePattern(q),
        likePattern(q),
        ...(digits ? [likePattern(digits)] : []),
        ...(pii ? [] : PII_KINDS),
        limit,
      ],
    );
  }

  private async identifiersOf(ctx: RequestCtx, contactIds: string[]): Promise<Map<string, IdentifierRow[]>> {
    const byContact = new Map<string, IdentifierRow[]>();
    if (!contactIds.length) return byContact;
    const rows = await this.em.execute<IdentifierRow[]>(
      `select contact_id, kind, value from contact_identifiers where workspace_id = ? and contact_id in (${contactIds.map(() => '?').join(', ')}) order by id`,
      [ctx.workspaceId, ...contactIds],
    );
    for (const row of rows) byContact.set(row.contact_id, [...(byContact.get(row.contact_id) ?? []), row]);
    return byContact;
  }
}

function toContactHit(ctx: RequestCtx, row: ContactRow, identifiers: IdentifierRow[]): ContactHit {
  const shown = identifiers.map((i) => ({ kind: i.kind, value: maskIdentifier(ctx, i.kind, i.value) }));
  return {
    type: 'contact',
    id: row.id,
    name: row.name,
    identifiers: shown,
    snippet: [row.name, ...shown.map((i) => i.value)].filter(Boolean).join(' · '),
    createdAt: new Date(row.created_at),
  };
}
