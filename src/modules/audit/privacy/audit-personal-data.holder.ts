import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSubject, likePatterns, mentions, needlesOf, PersonalDataRegistry, scrubMentions } from '../../../common/privacy';

interface Row {
  id: string;
  changes: unknown;
}

/**
 * The audit log keeps its entries through an erasure (who did what, when), pseudonymized: the
 * person's identifiers in `changes` become ERASED; the contact id left behind names nobody once
 * the contact is gone. Runs before identity so the identifiers are still known.
 */
@Injectable()
export class AuditPersonalDataHolder implements OnModuleInit {
  readonly name = 'audit';
  readonly erasureOrder = 85;

  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register(this);
  }

  async collect(em: EntityManager, s: DataSubject) {
    const entries = await em.execute(
      "select id, actor_type, actor_id, action, subject_type, subject_id, changes, created_at from audit_events where workspace_id = ? and subject_type = 'Contact' and subject_id = ? order by id",
      [s.workspaceId, s.contactId],
    );
    return { auditEntries: entries };
  }

  async erase(em: EntityManager, s: DataSubject): Promise<number> {
    const needles = needlesOf(s.identifiers ?? []);
    if (!needles.length) return 0;
    const rows = await em.execute<Row[]>(
      'select id, changes from audit_events where workspace_id = ? and changes::text ilike any (array(select jsonb_array_elements_text(?::jsonb)))',
      [s.workspaceId, likePatterns(needles)],
    );
    // The audit table's trigger lets this transaction rewrite `changes` and nothing else.
    if (rows.length) await em.execute("select set_config('nanozons.pseudonymize', 'on', true)");
    let n = 0;
    for (const row of rows) {
      if (!mentions(row.changes, needles)) continue;
      await em.execute('update audit_events set changes = ?::jsonb where id = ?', [JSON.stringify(scrubMentions(row.changes, needles)), row.id]);
      n++;
    }
    return n;
  }
}
