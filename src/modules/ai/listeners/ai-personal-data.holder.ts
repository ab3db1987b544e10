import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSubject, PersonalDataHolder, PersonalDataRegistry } from '../../../common/privacy';
import { NO_TENANT_FILTER } from '../../../infrastructure/database';
import { toArtifactView } from '../ai-artifact.view';
import { AiArtifact } from '../entities/ai-artifact.entity';

/** The contact's conversations, and those merged into them (their artifacts were about the same person). */
const CONVERSATIONS_OF = `
  select id from conversations where workspace_id = ? and contact_id = ?
  union
  select m.id from conversations m join conversations c on c.id = m.merged_into_id and c.workspace_id = m.workspace_id
  where m.workspace_id = ? and c.contact_id = ?`;

/**
 * AI artifacts are derived from the contact's messages, so an access request lists them and an
 * erasure of any scope deletes them all; they go first (order 10), before the messages they cite.
 */
@Injectable()
export class AiPersonalDataHolder implements PersonalDataHolder, OnModuleInit {
  readonly name = 'aiArtifacts';
  readonly erasureOrder = 10;

  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register(this);
  }

  async collect(em: EntityManager, subject: DataSubject): Promise<unknown> {
    const ids = await this.conversationIds(em, subject);
    if (!ids.length) return [];
    const rows = await em.find(AiArtifact, { workspaceId: subject.workspaceId, conversationId: { $in: ids } }, { ...NO_TENANT_FILTER, orderBy: { id: 'asc' } });
    return rows.map(toArtifactView);
  }

  async erase(em: EntityManager, subject: DataSubject): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(`delete from ai_artifacts where workspace_id = ? and conversation_id in (${CONVERSATIONS_OF}) returning id`, [
      subject.workspaceId,
      subject.workspaceId,
      subject.contactId,
      subject.workspaceId,
      subject.contactId,
    ]);
    return rows.length;
  }

  private async conversationIds(em: EntityManager, subject: DataSubject): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(CONVERSATIONS_OF, [subject.workspaceId, subject.contactId, subject.workspaceId, subject.contactId]);
    return rows.map((r) => r.id);
  }
}
