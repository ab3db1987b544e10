import type { Actor } from '../../common/authz';
import { Consent, ConsentChannel } from './entities/consent.entity';

export interface ConsentView {
  id: string;
  contactId: string;
  channelType: string;
  status: string;
  source: string;
  evidence: Record<string, unknown> | null;
  actor: Actor;
  createdAt: Date;
}

/** The history page plus, per channel, the entry in force (the newest). */
export interface ConsentHistoryView {
  data: ConsentView[];
  nextCursor: string | null;
  current: Partial<Record<ConsentChannel, ConsentView>>;
}

export const toConsentView = (c: Consent): ConsentView => ({
  id: c.id,
  contactId: c.contactId,
  channelType: c.channelType,
  status: c.status,
  source: c.source,
  evidence: c.evidence ?? null,
  actor: { type: c.actorType, id: c.actorId },
  createdAt: c.createdAt,
});
