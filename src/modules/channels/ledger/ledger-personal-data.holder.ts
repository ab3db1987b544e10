import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSubject, likePatterns, mentions, needlesOf, PersonalDataRegistry } from '../../../common/privacy';
import { parseProviderJson } from './provider-json';
import { eraseFromPayload } from './ledger-redaction';

/** The parsed payload, or the raw text when it was not JSON (as the ledger API shows it). */
function payloadOf(raw: string): unknown {
  try {
    return parseProviderJson(raw);
  } catch {
    return raw;
  }
}

interface Candidate {
  id: string;
  channel_id: string;
  channel_type: string;
  kind: string;
  status: string;
  received_at: Date;
  raw_body: string;
}

/**
 * The raw inbound ledger's part of a privacy request: every stored payload that names one of the
 * person's identifiers (with a channel type, only that type's channels). A payload that also
 * concerns other people is redacted (their parts stay, the parsed summary goes), else deleted.
 */
@Injectable()
export class LedgerPersonalDataHolder implements OnModuleInit {
  readonly name = 'channels';
  readonly erasureOrder = 30;

  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register(this);
  }

  async collect(em: EntityManager, s: DataSubject) {
    const needles = needlesOf(s.identifiers ?? []);
    const rows = (await this.candidates(em, s, needles)).filter((r) => mentions(payloadOf(r.raw_body), needles));
    return {
      rawWebhookPayloads: rows.map((r) => ({ id: r.id, channelId: r.channel_id, channelType: r.channel_type, kind: r.kind, status: r.status, receivedAt: r.received_at, payload: payloadOf(r.raw_body) })),
    };
  }

  async erase(em: EntityManager, s: DataSubject): Promise<number> {
    const needles = needlesOf(s.identifiers ?? []);
    let n = 0;
    for (const row of await this.candidates(em, s, needles)) {
      const decision = eraseFromPayload(row.channel_type, row.raw_body, needles);
      if (decision.action === 'keep') continue;
      if (decision.action === 'delete') {
        await em.execute('delete from webhook_events where id = ? and received_at = ?', [row.id, row.received_at]);
      } else {
        await em.execute('update webhook_events set raw_body = ?, result = null where id = ? and received_at = ?', [decision.rawBody, row.id, row.received_at]);
      }
      n++;
    }
    return n;
  }

  /** Rows whose text may mention a needle (a coarse ILIKE); the JSON check above decides. */
  private candidates(em: EntityManager, s: DataSubject, needles: string[]): Promise<Candidate[]> {
    if (!needles.length) return Promise.resolve([]);
    const patterns = likePatterns(needles);
    return em.execute<Candidate[]>(
      `select e.id, e.channel_id, c.type as channel_type, e.kind, e.status, e.received_at, e.raw_body
       from webhook_events e join channels c on c.id = e.channel_id
       where e.workspace_id = ? and (?::text is null or c.type = ?)
         and (e.raw_body ilike any (array(select jsonb_array_elements_text(?::jsonb))) or e.result::text ilike any (array(select jsonb_array_elements_text(?::jsonb))))
       order by e.received_at, e.id`,
      [s.workspaceId, s.channelType ?? null, s.channelType ?? null, patterns, patterns],
    );
  }
}
