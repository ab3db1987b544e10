import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, assertCan, RequestCtx } from '../../common/authz';
import { NotFoundError, ValidationFailedError } from '../../common/errors';
import { DomainEventsSubscriber } from '../../common/events';
import { Page, PageQuery, decodeIdCursor, toPage } from '../../common/pagination';
import { ContactMergeChange, ContactMergeRegistry } from './contact-merge.registry';
import { ContactMergeView, toContactMergeView } from './contact-merge.view';
import { findLiveContact, identifiersOfContacts, lockContacts } from './contact-lookup';
import { ContactView, toContactView } from './contact.view';
import { Consent } from './entities/consent.entity';
import { ContactIdentifier } from './entities/contact-identifier.entity';
import { ContactMerge } from './entities/contact-merge.entity';
import { Contact } from './entities/contact.entity';
import { contactNotFound, mergeAlreadyUndone } from './identity.errors';

export interface MergeOptions {
  reason: string;
  automatic: boolean;
  actor: Actor;
}

const later = (a?: Date | null, b?: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b ?? null));

/** Merging contacts and undoing merges, journaled; every registered participant moves its rows along. */
@Injectable()
export class ContactMergesService {
  constructor(
    private readonly em: EntityManager,
    private readonly registry: ContactMergeRegistry,
    private readonly domainEvents: DomainEventsSubscriber,
  ) {}

  async merge(ctx: RequestCtx, targetId: string, sourceId: string): Promise<ContactView> {
    if (targetId === sourceId) throw new ValidationFailedError([{ field: 'sourceContactId', message: 'a contact cannot be merged into itself' }]);
    const { view, merge } = await this.em.transactional(async (em) => {
      for (const id of [targetId, sourceId]) assertCan(ctx, 'update', 'Contact', await findLiveContact(em, ctx.workspaceId, id));
      const merge = await this.mergeWithin(em, ctx.workspaceId, targetId, sourceId, { reason: 'manual', automatic: false, actor: ctx.actor });
      const target = await em.findOneOrFail(Contact, targetId);
      const identifiers = await identifiersOfContacts(em, ctx.workspaceId, [targetId]);
      return { merge, view: toContactView(ctx, target, identifiers.get(targetId)!) };
    });
    this.emitMerged(merge);
    return view;
  }

  /**
   * Moves the source's identifiers and consents to the target, marks the source merged and
   * journals exactly what moved. `em` must be inside a transaction: participants share it.
   */
  async mergeWithin(em: EntityManager, workspaceId: string, targetId: string, sourceId: string, how: MergeOptions): Promise<ContactMerge> {
    const locked = await lockContacts(em, workspaceId, [targetId, sourceId]);
    const target = locked.get(targetId);
    const source = locked.get(sourceId);
    if (!target || target.mergedIntoId) throw contactNotFound(target?.mergedIntoId);
    if (!source || source.mergedIntoId) throw contactNotFound(source?.mergedIntoId);

    const [identifiers, consents] = await Promise.all([
      em.find(ContactIdentifier, { workspaceId, contactId: sourceId }),
      em.find(Consent, { workspaceId, contactId: sourceId }),
    ]);
    for (const row of [...identifiers, ...consents]) row.contactId = targetId;
    // A restriction the person asked for follows them; an undo leaves it for a person to lift.
    target.processingRestricted ||= source.processingRestricted;
    target.lastSeenAt = later(target.lastSeenAt, source.lastSeenAt);
    source.mergedIntoId = targetId;
    const merge = em.create(ContactMerge, {
      workspaceId,
      targetContactId: targetId,
      sourceContactId: sourceId,
      reason: how.reason,
      automatic: how.automatic,
      actorType: how.actor.type,
      actorId: how.actor.id,
      movedIdentifierIds: identifiers.map((i) => i.id),
      movedConsentIds: consents.map((c) => c.id),
    });
    await em.flush();
    for (const participant of this.registry.list()) await participant.onMerge(em, changeOf(merge, identifiers));
    return merge;
  }

  async journal(ctx: RequestCtx, contactId: string, q: PageQuery): Promise<Page<ContactMergeView>> {
    assertCan(ctx, 'read', 'Contact', await findLiveContact(this.em, ctx.workspaceId, contactId));
    const after = decodeIdCursor(q.cursor);
    const rows = await this.em.find(
      ContactMerge,
      { workspaceId: ctx.workspaceId, $or: [{ targetContactId: contactId }, { sourceContactId: contactId }], ...(after ? { id: { $lt: after } } : {}) },
      { orderBy: { id: 'desc' }, limit: q.limit + 1 },
    );
    return toPage(rows, q.limit, (r) => ({ id: r.id }), toContactMergeView);
  }

  /** Splits the source back out with exactly the identifiers and consents the merge moved. */
  async undo(ctx: RequestCtx, contactId: string, mergeId: string): Promise<ContactMergeView> {
    return this.em.transactional(async (em) => {
      assertCan(ctx, 'update', 'Contact', await findLiveContact(em, ctx.workspaceId, contactId));
      const merge = await em.findOne(ContactMerge, { id: mergeId, workspaceId: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!merge || (merge.targetContactId !== contactId && merge.sourceContactId !== contactId)) throw new NotFoundError('Merge');
      if (merge.undoneAt) throw mergeAlreadyUndone();
      // The path contact is live and one of the two, so the target is live: merges undo in reverse
      // order, and the recorded rows are still where this merge put them (unless deleted since).
      const locked = await lockContacts(em, ctx.workspaceId, [merge.targetContactId, merge.sourceContactId]);
      const target = locked.get(merge.targetContactId)!;
      const source = locked.get(merge.sourceContactId)!;

      const [identifiers, consents] = await Promise.all([
        em.find(ContactIdentifier, { workspaceId: ctx.workspaceId, contactId: target.id, id: { $in: merge.movedIdentifierIds } }),
        em.find(Consent, { workspaceId: ctx.workspaceId, contactId: target.id, id: { $in: merge.movedConsentIds } }),
      ]);
      for (const row of [...identifiers, ...consents]) row.contactId = source.id;
      source.mergedIntoId = null;
      merge.undoneAt = new Date();
      await em.flush();
      for (const participant of this.registry.list()) await participant.onUndo(em, changeOf(merge, identifiers));
      return toContactMergeView(merge);
    });
  }

  /** `contact.merged` once the merge's transaction commits (at once when it already has). */
  emitMerged(merge: ContactMerge): void {
    this.domainEvents.emitAfterCommit(this.em, 'contact.merged', {
      workspaceId: merge.workspaceId,
      contactId: merge.targetContactId,
      sourceContactId: merge.sourceContactId,
      mergeId: merge.id,
    });
  }
}

const changeOf = (m: ContactMerge, moved: ContactIdentifier[]): ContactMergeChange => ({
  workspaceId: m.workspaceId,
  mergeId: m.id,
  targetContactId: m.targetContactId,
  sourceContactId: m.sourceContactId,
  movedIdentifierIds: m.movedIdentifierIds,
  movedIdentifierValues: moved.map((i) => i.value),
  mergedAt: m.createdAt,
});
