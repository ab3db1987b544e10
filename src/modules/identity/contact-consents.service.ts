import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/authz';
import { TENANT_FILTER } from '../../infrastructure/database';
import { ConsentChannel, ConsentStatus, Consent } from './entities/consent.entity';
import { ContactIdentifier } from './entities/contact-identifier.entity';
import { followMerges } from './contact-lookup';
import { IdentifierKind, normalizeIdentifier } from './identifier-normalizer';

export interface ConsentEntry {
  channelType: ConsentChannel;
  status: ConsentStatus;
  /** A client's free text, or a `SystemConsentSource` when the system records it. */
  source: string;
  evidence?: Record<string, unknown> | null;
  actor: Actor;
}

/**
 * Consent and reachability facts for compliance and outbound delivery; usable outside requests
 * (jobs, inbound processing), always scoped to the given workspace.
 */
@Injectable()
export class ContactConsentsService {
  constructor(private readonly em: EntityManager) {}

  private scoped(workspaceId: string): EntityManager {
    const em = this.em.fork({ keepTransactionContext: true });
    em.setFilterParams(TENANT_FILTER, { workspaceId });
    return em;
  }

  /** The newest consent entry for the channel type wins; `none` when there is no entry. */
  async current(workspaceId: string, contactId: string, channelType: ConsentChannel): Promise<ConsentStatus | 'none'> {
    const [row] = await this.scoped(workspaceId).execute<{ status: ConsentStatus }[]>(
      'select status from contact_consents where workspace_id = ? and contact_id = ? and channel_type = ? order by id desc limit 1',
      [workspaceId, contactId, channelType],
    );
    return row?.status ?? 'none';
  }

  /** Appends an entry unless the current state already says the same (repeated STOPs add nothing). */
  async record(workspaceId: string, contactId: string, entry: ConsentEntry): Promise<boolean> {
    if ((await this.current(workspaceId, contactId, entry.channelType)) === entry.status) return false;
    const em = this.scoped(workspaceId);
    em.create(Consent, {
      workspaceId,
      contactId,
      channelType: entry.channelType,
      status: entry.status,
      source: entry.source,
      evidence: entry.evidence ?? null,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
    });
    await em.flush();
    return true;
  }

  /** The live contact holding an identifier (following merges), or null. */
  async contactIdByIdentifier(workspaceId: string, kind: IdentifierKind, value: string): Promise<string | null> {
    const em = this.scoped(workspaceId);
    let normalized: string;
    try {
      normalized = normalizeIdentifier(kind, value);
    } catch {
      return null;
    }
    const identifier = await em.findOne(ContactIdentifier, { workspaceId, kind, value: normalized });
    if (!identifier) return null;
    const contact = await followMerges(em, workspaceId, identifier.contactId);
    return contact?.id ?? null;
  }

  /** A hard bounce or a blocked bot: the address stays on file but is no longer used for sending. */
  async markUndeliverable(workspaceId: string, kind: IdentifierKind, value: string): Promise<void> {
    const em = this.scoped(workspaceId);
    let normalized: string;
    try {
      normalized = normalizeIdentifier(kind, value);
    } catch {
      return;
    }
    await em.nativeUpdate(ContactIdentifier, { workspaceId, kind, value: normalized }, { undeliverable: true });
  }
}
