import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Contact } from './entities/contact.entity';
import { ContactIdentifier } from './entities/contact-identifier.entity';
import { contactNotFound } from './identity.errors';

/** Merge chains are short (each hop needs a person or a contact card); this bounds a corrupt cycle. */
const MAX_MERGE_HOPS = 16;

/**
 * A contact of this workspace that is not merged away, else 404 (with `mergedInto` when merged).
 * Writers that attach rows to it lock it for share, so a concurrent merge waits for them or they for it.
 */
export async function findLiveContact(em: EntityManager, workspaceId: string, id: string, lockMode?: LockMode.PESSIMISTIC_READ): Promise<Contact> {
  const contact = await em.findOne(Contact, { id, workspaceId }, lockMode ? { lockMode, refresh: true } : {});
  if (!contact || contact.mergedIntoId) throw contactNotFound(contact?.mergedIntoId);
  return contact;
}

/** The contact an id stands for today: itself, or the live end of its merge chain. */
export async function followMerges(em: EntityManager, workspaceId: string, id: string): Promise<Contact | null> {
  let next: string | null | undefined = id;
  for (let hop = 0; next && hop < MAX_MERGE_HOPS; hop++) {
    const contact: Contact | null = await em.findOne(Contact, { id: next, workspaceId });
    if (!contact?.mergedIntoId) return contact;
    next = contact.mergedIntoId;
  }
  return null;
}

/** Locks contacts in id order, so two merges over the same pair cannot deadlock. */
export async function lockContacts(em: EntityManager, workspaceId: string, ids: string[]): Promise<Map<string, Contact>> {
  const rows = await em.find(Contact, { id: { $in: ids }, workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true });
  return new Map(rows.map((c) => [c.id, c]));
}

export async function identifiersOfContacts(em: EntityManager, workspaceId: string, contactIds: string[]): Promise<Map<string, ContactIdentifier[]>> {
  const byContact = new Map<string, ContactIdentifier[]>(contactIds.map((id) => [id, []]));
  if (!contactIds.length) return byContact;
  const rows = await em.find(ContactIdentifier, { workspaceId, contactId: { $in: contactIds } }, { orderBy: { id: 'asc' } });
  for (const row of rows) byContact.get(row.contactId)?.push(row);
  return byContact;
}
