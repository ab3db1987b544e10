import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isUuid, systemCtx } from '../../common/authz';
import { DomainEventsSubscriber } from '../../common/events';
import { isUniqueViolation, newId, TENANT_FILTER } from '../../infrastructure/database';
import { AuditService } from '../audit';
import { WorkspacesService } from '../workspaces';
import { followMerges, identifiersOfContacts } from './contact-lookup';
import { ContactMergesService } from './contact-merges.service';
import type { DuplicateReason } from './duplicate-heuristics';
import { ContactDuplicateHint } from './entities/contact-duplicate-hint.entity';
import { ContactIdentifier } from './entities/contact-identifier.entity';
import { Contact } from './entities/contact.entity';
import { IdentifierKind, normalizeCardPhone, normalizeIdentifier, phoneFromDigits } from './identifier-normalizer';

export interface SenderIdentity {
  kind: IdentifierKind;
  value: string;
  displayName?: string;
  /** WhatsApp: the sender's phone digits when known (the wa_id, or sent beside a business-scoped id). */
  phone?: string;
}

export interface ResolvedSender {
  contactId: string;
  created: boolean;
  /** The identifier the message came from: merges move it, so an undo knows which messages were the source's. */
  identifierId: string;
}

export interface IdentifierSummary {
  id: string;
  kind: IdentifierKind;
  value: string;
  verified: boolean;
  source: string;
  undeliverable: boolean;
}

export interface ContactSummary {
  id: string;
  name: string | null;
  processingRestricted: boolean;
  mergedIntoId: string | null;
  identifiers: IdentifierSummary[];
}

/** Concurrent first messages of one person collide on the identifier's unique key; losers look again. */
const MAX_ATTEMPTS = 4;

const scoped = (em: EntityManager, workspaceId: string) => {
  em.setFilterParams(TENANT_FILTER, { workspaceId });
  return em;
};

const toSummary = (i: ContactIdentifier): IdentifierSummary => ({ id: i.id, kind: i.kind, value: i.value, verified: i.verified, source: i.source, undeliverable: i.undeliverable });

const isOlder = (a: Contact, b: Contact) => a.createdAt < b.createdAt || (a.createdAt.getTime() === b.createdAt.getTime() && a.id < b.id);

/**
 * Identity's public service for other modules and their jobs. Nothing here needs a request:
 * every call scopes its own entity manager to `workspaceId`, and writes join the caller's
 * transaction when one is open (as a savepoint), else run in their own.
 */
@Injectable()
export class IdentityService {
  constructor(
    private readonly em: EntityManager,
    private readonly workspaces: WorkspacesService,
    private readonly merges: ContactMergesService,
    private readonly audit: AuditService,
    private readonly domainEvents: DomainEventsSubscriber,
  ) {}

  /**
   * The contact behind an inbound sender, created on first contact. A WhatsApp sender whose phone
   * digits equal a phone identifier joins that contact (and gains the verified phone when missing).
   */
  async resolveSender(workspaceId: string, sender: SenderIdentity, source: string): Promise<ResolvedSender> {
    const country = sender.kind === 'phone' ? await this.workspaces.defaultCountry(workspaceId) : undefined;
    const value = normalizeIdentifier(sender.kind, sender.value, country);
    const phone = sender.kind === 'whatsapp' ? phoneFromDigits(sender.phone ?? value) : null;
    const name = sender.displayName?.trim().slice(0, 200) || null;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.em.transactional(async (em) => {
          scoped(em, workspaceId);
          const now = new Date();
          const found = await em.find(ContactIdentifier, {
            workspaceId,
            $or: [{ kind: sender.kind, value }, ...(phone ? [{ kind: 'phone' as const, value: phone }] : [])],
          });
          const own = found.find((i) => i.kind === sender.kind && i.value === value);
          const phoneIdentifier = found.find((i) => i.kind === 'phone' && i.value === phone);
          const anchor = own ?? phoneIdentifier;
          const existing = anchor ? await followMerges(em, workspaceId, anchor.contactId) : null;
          const contact = existing ?? em.create(Contact, { workspaceId, name });
          const identifier = this.seen(em, contact, own, sender.kind, value, source, now);
          // A phone that is another contact's stays there: a wa_id alone never merges two contacts.
          if (phone && (!phoneIdentifier || phoneIdentifier.contactId === contact.id)) this.seen(em, contact, phoneIdentifier, 'phone', phone, source, now);
          contact.lastSeenAt = now;
          if (!contact.name && name) contact.name = name;
          await em.flush();
          return { contactId: contact.id, created: !existing, identifierId: identifier.id };
        });
        if (result.created) this.domainEvents.emitAfterCommit(this.em, 'contact.created', { workspaceId, contactId: result.contactId });
        return result;
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }

  /**
   * A Telegram user shared a contact card. Only their own card counts (`userId` is the sender):
   * its phone becomes a verified identifier. When another contact has that phone verified (or as a
   * WhatsApp id) the two are one person and merge automatically, the older contact surviving. A
   * phone someone typed proves nothing, so that pair is only suggested in `duplicates`.
   */
  async applyContactCard(
    workspaceId: string,
    contactId: string,
    card: { phone?: string; userId?: string },
    senderTelegramUserId: string,
  ): Promise<{ contactId: string; mergeId?: string }> {
    if (!card.phone || !card.userId || String(card.userId) !== String(senderTelegramUserId)) return { contactId };
    const phone = normalizeCardPhone(card.phone, await this.workspaces.defaultCountry(workspaceId));
    if (!phone || !isUuid(contactId)) return { contactId };
    const actor = systemCtx(workspaceId).actor;
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, merge } = await this.em.transactional(async (em) => {
          scoped(em, workspaceId);
          const now = new Date();
          const contact = await followMerges(em, workspaceId, contactId);
          if (!contact) return { result: { contactId } };
          const matches = await em.find(ContactIdentifier, { workspaceId, $or: [{ kind: 'phone', value: phone }, { kind: 'whatsapp', value: phone.slice(1) }] });
          const existing = matches.find((i) => i.kind === 'phone');
          const anchor = existing ?? matches[0];
          const owner = anchor ? await followMerges(em, workspaceId, anchor.contactId) : null;
          if (!owner || owner.id === contact.id) {
            this.seen(em, contact, existing, 'phone', phone, 'contact_card', now);
            await em.flush();
            return { result: { contactId: contact.id } };
          }
          if (!matches.some((i) => i.contactId === anchor!.contactId && i.verified)) {
            await this.hintDuplicate(em, workspaceId, contact.id, owner.id, 'same_phone_unverified');
            return { result: { contactId: contact.id } };
          }
          if (existing) this.seen(em, owner, existing, 'phone', phone, 'contact_card', now);
          else this.seen(em, contact, undefined, 'phone', phone, 'contact_card', now);
          const [target, source] = isOlder(owner, contact) ? [owner, contact] : [contact, owner];
          const merge = await this.merges.mergeWithin(em, workspaceId, target.id, source.id, { reason: 'telegram_contact_card', automatic: true, actor });
          await this.audit.record({
            workspaceId,
            actor,
            action: 'contact.merged',
            subjectType: 'Contact',
            subjectId: target.id,
            changes: { sourceContactId: source.id, mergeId: merge.id, reason: merge.reason, automatic: true },
          });
          return { result: { contactId: target.id, mergeId: merge.id }, merge };
        });
        if (merge) this.merges.emitMerged(merge);
        return result;
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }

  /** The contact as stored: a merged-away one comes back with its `mergedIntoId`, not followed. */
  async getContact(workspaceId: string, contactId: string): Promise<ContactSummary | null> {
    if (!isUuid(contactId)) return null;
    const em = this.reader(workspaceId);
    const contact = await em.findOne(Contact, { id: contactId, workspaceId });
    if (!contact) return null;
    const identifiers = await identifiersOfContacts(em, workspaceId, [contact.id]);
    return {
      id: contact.id,
      name: contact.name ?? null,
      processingRestricted: contact.processingRestricted,
      mergedIntoId: contact.mergedIntoId ?? null,
      identifiers: identifiers.get(contact.id)!.map(toSummary),
    };
  }

  async identifiersOf(workspaceId: string, contactId: string): Promise<IdentifierSummary[]> {
    if (!isUuid(contactId)) return [];
    const identifiers = await identifiersOfContacts(this.reader(workspaceId), workspaceId, [contactId]);
    return identifiers.get(contactId)!.map(toSummary);
  }

  /** Restriction of processing (a privacy request): no AI and no business-initiated sends while set. False when unknown. */
  async setProcessingRestricted(workspaceId: string, contactId: string, restricted: boolean): Promise<boolean> {
    if (!isUuid(contactId)) return false;
    const updated = await this.reader(workspaceId).nativeUpdate(Contact, { id: contactId, workspaceId }, { processingRestricted: restricted, updatedAt: new Date() });
    return updated > 0;
  }

  /** A fresh identity map on the caller's transaction, if any, so reads see what it wrote. */
  private reader(workspaceId: string): EntityManager {
    return scoped(this.em.fork({ keepTransactionContext: true }), workspaceId);
  }

  /** Repeated signals about one pair keep one row. */
  private async hintDuplicate(em: EntityManager, workspaceId: string, one: string, other: string, reason: DuplicateReason): Promise<void> {
    const [firstContactId, secondContactId] = one < other ? [one, other] : [other, one];
    const now = new Date();
    await em.upsert(
      ContactDuplicateHint,
      { id: newId(), workspaceId, firstContactId, secondContactId, reason, createdAt: now, updatedAt: now },
      { onConflictFields: ['workspaceId', 'firstContactId', 'secondContactId', 'reason'], onConflictAction: 'ignore' },
    );
  }

  /** Records that the channel saw this identifier on this contact (creating it verified when new). */
  private seen(em: EntityManager, contact: Contact, identifier: ContactIdentifier | undefined, kind: IdentifierKind, value: string, source: string, now: Date): ContactIdentifier {
    if (!identifier) {
      return em.create(ContactIdentifier, { workspaceId: contact.workspaceId, contactId: contact.id, kind, value, verified: true, source, firstSeenAt: now, lastSeenAt: now });
    }
    identifier.verified = true;
    identifier.firstSeenAt ??= now;
    identifier.lastSeenAt = now;
    return identifier;
  }
}
