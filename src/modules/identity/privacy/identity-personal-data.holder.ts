import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSubject, PersonalDataChannelType, PersonalDataRegistry } from '../../../common/privacy';
import { countAffected, sqlList } from '../../../infrastructure/database';

/** Identifier kinds that belong to a channel type's part of a person (a phone is how WhatsApp reaches them). */
export const KINDS_OF_CHANNEL: Record<PersonalDataChannelType, string[]> = { email: ['email'], whatsapp: ['whatsapp', 'phone'], telegram: ['telegram'] };

const IDS = 'in (select jsonb_array_elements_text(?::jsonb)::uuid)';

/**
 * Identity's part of a privacy request: the contact (and contacts merged into it, which are the
 * same person), identifiers, consents, merge journal and duplicate hints. It runs last, after the
 * holders whose rows point at the contact.
 */
@Injectable()
export class IdentityPersonalDataHolder implements OnModuleInit {
  readonly name = 'identity';
  readonly erasureOrder = 90;

  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register(this);
  }

  async collect(em: EntityManager, s: DataSubject) {
    const ids = sqlList(await this.personIds(em, s));
    const [contact] = await em.execute('select id, name, processing_restricted, created_at, updated_at, last_seen_at from contacts where workspace_id = ? and id = ?', [s.workspaceId, s.contactId]);
    return {
      contact: contact ?? null,
      identifiers: await em.execute(`select id, contact_id, kind, value, verified, source, undeliverable, first_seen_at, last_seen_at, created_at from contact_identifiers where workspace_id = ? and contact_id ${IDS} order by id`, [s.workspaceId, ids]),
      consents: await em.execute(`select id, contact_id, channel_type, status, source, evidence, actor_type, actor_id, created_at from contact_consents where workspace_id = ? and contact_id ${IDS} order by id`, [s.workspaceId, ids]),
      merges: await em.execute(
        `select id, target_contact_id, source_contact_id, reason, automatic, created_at, undone_at from contact_merges where workspace_id = ? and (target_contact_id ${IDS} or source_contact_id ${IDS}) order by id`,
        [s.workspaceId, ids, ids],
      ),
    };
  }

  async erase(em: EntityManager, s: DataSubject): Promise<number> {
    const person = await this.personIds(em, s);
    if (!person.length) return 0;
    const ids = sqlList(person);
    const w = s.workspaceId;
    if (s.channelType) {
      return (
        (await countAffected(em, `delete from contact_identifiers where workspace_id = ? and contact_id ${IDS} and kind in (select jsonb_array_elements_text(?::jsonb))`, [w, ids, sqlList(KINDS_OF_CHANNEL[s.channelType])])) +
        (await countAffected(em, `delete from contact_consents where workspace_id = ? and contact_id ${IDS} and channel_type = ?`, [w, ids, s.channelType]))
      );
    }
    let n = await countAffected(em, `delete from contact_duplicate_hints where workspace_id = ? and (first_contact_id ${IDS} or second_contact_id ${IDS})`, [w, ids, ids]);
    n += await countAffected(em, `delete from contact_merges where workspace_id = ? and (target_contact_id ${IDS} or source_contact_id ${IDS})`, [w, ids, ids]);
    n += await countAffected(em, `delete from contact_consents where workspace_id = ? and contact_id ${IDS}`, [w, ids]);
    n += await countAffected(em, `delete from contact_identifiers where workspace_id = ? and contact_id ${IDS}`, [w, ids]);
    n += await countAffected(em, `delete from contacts where workspace_id = ? and id ${IDS}`, [w, ids]);
    return n;
  }

  /** The contact and every contact merged into it (directly or down a chain): the same person. */
  private async personIds(em: EntityManager, s: DataSubject): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `with recursive person as (
         select id from contacts where workspace_id = ? and id = ?
         union select c.id from contacts c join person p on c.merged_into_id = p.id where c.workspace_id = ?
       ) select id from person`,
      [s.workspaceId, s.contactId, s.workspaceId],
    );
    return rows.map((r) => r.id);
  }
}
