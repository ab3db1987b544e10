import type { Actor } from '../../common/authz';
import { ContactMerge } from './entities/contact-merge.entity';

export interface ContactMergeView {
  id: string;
  targetContactId: string;
  sourceContactId: string;
  reason: string;
  automatic: boolean;
  actor: Actor;
  at: Date;
  undoneAt: Date | null;
}

export const toContactMergeView = (m: ContactMerge): ContactMergeView => ({
  id: m.id,
  targetContactId: m.targetContactId,
  sourceContactId: m.sourceContactId,
  reason: m.reason,
  automatic: m.automatic,
  actor: { type: m.actorType, id: m.actorId },
  at: m.createdAt,
  undoneAt: m.undoneAt ?? null,
});
