import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainEventsSubscriber } from '../../common/events';
import { newId } from '../../infrastructure/database';
import type { ChannelType } from '../channels';
import type { ContactMergeChange } from '../identity';
import { ConversationRow, ConversationsRepository, newThreadToken } from './conversations.repository';

interface MergeRecord {
  source_conversation_id: string;
  target_conversation_id: string | null;
  target_created: boolean;
}

interface ChannelTimes {
  channel_id: string;
  channel_type: ChannelType;
  last_inbound_at: string | null;
  last_inbound_provider_at: string | null;
}

const toDate = (v: string | Date | null): Date | null => (v === null ? null : new Date(v));

/**
 * Keeps "one conversation per contact" true across contact merges: the source contact's messages
 * move into the target's conversation, and the moves are journaled so an undo puts exactly those
 * messages back and revives the source conversation.
 */
@Injectable()
export class ConversationMergeService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly events: DomainEventsSubscriber,
  ) {}

  async onMerge(em: EntityManager, c: ContactMergeChange): Promise<void> {
    const { workspaceId, mergeId } = c;
    const seen = await em.execute('select 1 from conversation_merges where workspace_id = ? and merge_id = ?', [workspaceId, mergeId]);
    if (seen.length) return;
    const source = await this.conversations.liveOfContact(em, workspaceId, c.sourceContactId);
    if (!source) return;
    const existing = await this.conversations.liveOfContact(em, workspaceId, c.targetContactId);
    const target = existing ?? (await this.copyFor(em, source, c.targetContactId));
    const now = new Date();

    await em.execute(
      `insert into conversation_merges (merge_id, workspace_id, source_conversation_id, target_conversation_id, target_created, created_at)
       values (?, ?, ?, ?, ?, ?)`,
      [mergeId, workspaceId, source.id, target.id, !existing, now],
    );
    // The self-join reads each row as it was before the update: the journal keeps the old contact.
    await em.execute(
      `with moved as (
         update messages m set conversation_id = ?, contact_id = case when m.contact_id = ? then ? else m.contact_id end, updated_at = ?
         from messages prev
         where prev.id = m.id and m.workspace_id = ? and m.conversation_id = ?
         returning m.id, prev.contact_id
       )
       insert into conversation_merge_moves (workspace_id, merge_id, message_id, from_conversation_id, from_contact_id)
       select ?, ?, id, ?, contact_id from moved`,
      [target.id, c.sourceContactId, c.targetContactId, now, workspaceId, source.id, workspaceId, mergeId, source.id],
    );
    for (const ch of await this.channelTimes(em, workspaceId, source.id)) {
      await this.conversations.touchChannel(em, {
        workspaceId,
        conversationId: target.id,
        channelId: ch.channel_id,
        channelType: ch.channel_type,
        receivedAt: toDate(ch.last_inbound_at),
        providerAt: toDate(ch.last_inbound_provider_at),
      });
    }
    await em.execute(
      `update conversations t set
         last_message_at = greatest(t.last_message_at, s.last_message_at),
         labels = array(select l from unnest(t.labels || s.labels) with ordinality as u(l, n) group by l order by min(n)),
         updated_at = ?
       from conversations s where t.id = ? and s.id = ?`,
      [now, target.id, source.id],
    );
    await em.execute('update conversations set merged_into_id = ?, updated_at = ? where id = ?', [target.id, now, source.id]);

    if (!existing) this.events.emitAfterCommit(em, 'conversation.created', { workspaceId, conversationId: target.id, contactId: c.targetContactId });
    this.events.emitAfterCommit(em, 'conversation.updated', { workspaceId, conversationId: target.id, changes: ['messages', 'channels'] });
    this.events.emitAfterCommit(em, 'conversation.updated', { workspaceId, conversationId: source.id, changes: ['mergedIntoId'] });
  }

  /**
   * Puts back the messages the merge journaled and those that arrived later through the source's
   * identifiers (into the target's conversation, since the source was merged away), then lets each
   * conversation's activity and channels follow from the messages it holds again.
   */
  async onUndo(em: EntityManager, c: ContactMergeChange): Promise<void> {
    const { workspaceId, mergeId } = c;
    const [merge] = await em.execute<MergeRecord[]>(
      'select source_conversation_id, target_conversation_id, target_created from conversation_merges where workspace_id = ? and merge_id = ? and undone_at is null for update',
      [workspaceId, mergeId],
    );
    const now = new Date();
    const target = merge ? merge.target_conversation_id : ((await this.conversations.liveOfContact(em, workspaceId, c.targetContactId))?.id ?? null);
    let home = merge ? await this.putBackJournaled(em, workspaceId, mergeId, merge, now) : null;
    const arrivals = target ? await this.arrivalsThroughSource(em, c, target) : [];
    if (!merge && !arrivals.length) return;
    if (!home && arrivals.length) {
      const { row, created } = await this.conversations.findOrCreate(em, workspaceId, c.sourceContactId, now);
      home = row.id;
      if (created) this.events.emitAfterCommit(em, 'conversation.created', { workspaceId, conversationId: home, contactId: c.sourceContactId });
    }
    if (home && arrivals.length) await this.moveArrivals(em, workspaceId, arrivals, target!, home, c.sourceContactId, now);
    if (home) {
      await this.recomputeActivity(em, workspaceId, home, now);
      this.events.emitAfterCommit(em, 'conversation.updated', { workspaceId, conversationId: home, changes: ['messages', 'mergedIntoId'] });
    }

    if (!target) return;
    const [{ n }] = await em.execute<{ n: number }[]>('select count(*)::int as n from messages where workspace_id = ? and conversation_id = ?', [workspaceId, target]);
    if (merge?.target_created && n === 0) {
      // Created only to receive the source's messages: with them gone it has no reason to exist.
      await em.execute('delete from conversations where workspace_id = ? and id = ?', [workspaceId, target]);
      return;
    }
    await this.recomputeActivity(em, workspaceId, target, now);
    this.events.emitAfterCommit(em, 'conversation.updated', { workspaceId, conversationId: target, changes: ['messages', 'channels'] });
  }

  /** The journaled messages back to the source's conversation (revived), or to its newer one; returns where they went. */
  private async putBackJournaled(em: EntityManager, workspaceId: string, mergeId: string, merge: MergeRecord, now: Date): Promise<string> {
    const [source] = await em.execute<ConversationRow[]>('select id, contact_id from conversations where id = ? for update', [merge.source_conversation_id]);
    // The source contact cannot receive messages while merged away, so it normally has no other conversation.
    const home = (await this.conversations.liveOfContact(em, workspaceId, source.contact_id))?.id ?? source.id;
    await em.execute(
      `update messages m set conversation_id = ?, contact_id = mv.from_contact_id, updated_at = ?
       from conversation_merge_moves mv
       where mv.workspace_id = ? and mv.merge_id = ? and m.id = mv.message_id and m.workspace_id = mv.workspace_id`,
      [home, now, workspaceId, mergeId],
    );
    if (home === source.id) await em.execute('update conversations set merged_into_id = null, updated_at = ? where id = ?', [now, source.id]);
    await em.execute('update conversation_merges set undone_at = ? where workspace_id = ? and merge_id = ?', [now, workspaceId, mergeId]);
    return home;
  }

  /**
   * Messages of the target's conversation since the merge that belong to the source: inbound ones
   * that came through one of its identifiers, and the team's replies sent to one of them.
   */
  private arrivalsThroughSource(em: EntityManager, c: ContactMergeChange, target: string): Promise<{ id: string; channel_id: string }[]> {
    if (!c.movedIdentifierIds.length) return Promise.resolve([]);
    const list = (values: string[]) => values.map(() => '?').join(', ');
    const toSource = c.movedIdentifierValues.length ? `or (direction = 'outbound' and recipient in (${list(c.movedIdentifierValues)}))` : '';
    return em.execute<{ id: string; channel_id: string }[]>(
      `select id, channel_id from messages
       where workspace_id = ? and conversation_id = ? and created_at >= ?
         and ((direction = 'inbound' and sender_identifier_id in (${list(c.movedIdentifierIds)})) ${toSource})
       for update`,
      [c.workspaceId, target, c.mergedAt, ...c.movedIdentifierIds, ...c.movedIdentifierValues],
    );
  }

  private async moveArrivals(em: EntityManager, workspaceId: string, arrivals: { id: string; channel_id: string }[], from: string, to: string, contactId: string, now: Date): Promise<void> {
    const ids = arrivals.map((a) => a.id);
    await em.execute(`update messages set conversation_id = ?, contact_id = ?, updated_at = ? where workspace_id = ? and id in (${ids.map(() => '?').join(', ')})`, [
      to, contactId, now, workspaceId, ...ids,
    ]);
    // The channel rows the destination lacks; their times are recomputed from the messages right after.
    for (const ch of await this.channelTimes(em, workspaceId, from)) {
      if (!arrivals.some((a) => a.channel_id === ch.channel_id)) continue;
      await this.conversations.touchChannel(em, { workspaceId, conversationId: to, channelId: ch.channel_id, channelType: ch.channel_type, receivedAt: null, providerAt: null });
    }
  }

  /** The target's conversation when it had none: it takes over the source's state (status, assignee, labels). */
  private async copyFor(em: EntityManager, source: ConversationRow, contactId: string): Promise<ConversationRow> {
    const now = new Date();
    const [created] = await em.execute<ConversationRow[]>(
      `insert into conversations (id, workspace_id, contact_id, status, snoozed_until, assignee_id, labels, last_message_at, email_thread_token, created_at, updated_at)
       select ?, workspace_id, ?, status, snoozed_until, assignee_id, labels, last_message_at, ?, ?, ? from conversations where id = ?
       on conflict (workspace_id, contact_id) where merged_into_id is null do nothing
       returning id, workspace_id, contact_id, status, merged_into_id`,
      [newId(), contactId, newThreadToken(), now, now, source.id],
    );
    const row = created ?? (await this.conversations.liveOfContact(em, source.workspace_id, contactId));
    if (!row) throw new Error(`no conversation for contact ${contactId} after insert`);
    return row;
  }

  private channelTimes(em: EntityManager, workspaceId: string, conversationId: string): Promise<ChannelTimes[]> {
    return em.execute<ChannelTimes[]>(
      'select channel_id, channel_type, last_inbound_at, last_inbound_provider_at from conversation_channels where workspace_id = ? and conversation_id = ?',
      [workspaceId, conversationId],
    );
  }

  /** After messages left: activity and per-channel times from what the conversation still holds. */
  private async recomputeActivity(em: EntityManager, workspaceId: string, conversationId: string, now: Date): Promise<void> {
    await em.execute(
      `update conversations c set updated_at = ?, last_message_at = coalesce(
         (select max(m.created_at) from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id and m.direction <> 'internal'),
         c.created_at)
       where c.workspace_id = ? and c.id = ?`,
      [now, workspaceId, conversationId],
    );
    await em.execute(
      `delete from conversation_channels cc where cc.workspace_id = ? and cc.conversation_id = ?
         and not exists (select 1 from messages m where m.workspace_id = cc.workspace_id and m.conversation_id = cc.conversation_id and m.channel_id = cc.channel_id)`,
      [workspaceId, conversationId],
    );
    await em.execute(
      `update conversation_channels cc set last_inbound_at = x.received, last_inbound_provider_at = x.sent, updated_at = ?
       from (select channel_id, max(created_at) as received, max(sent_at) as sent from messages
             where workspace_id = ? and conversation_id = ? and direction = 'inbound' group by channel_id) x
       where cc.workspace_id = ? and cc.conversation_id = ? and cc.channel_id = x.channel_id`,
      [now, workspaceId, conversationId, workspaceId, conversationId],
    );
  }
}
