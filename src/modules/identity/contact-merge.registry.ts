import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface ContactMergeChange {
  workspaceId: string;
  mergeId: string;
  targetContactId: string;
  sourceContactId: string;
  /** The source's identifiers the merge moved: messages arriving through them while merged go back on undo. */
  movedIdentifierIds: string[];
  /** Their values, which outbound messages to them carry as `recipient`. */
  movedIdentifierValues: string[];
  mergedAt: Date;
}

/**
 * A module that keeps rows per contact (messaging: conversations and messages). It moves them
 * with the `em` it is handed, inside the merge's transaction, so a failure undoes the whole merge.
 * `onUndo` must move back exactly what `onMerge` moved for that `mergeId`.
 */
export interface ContactMergeParticipant {
  readonly name: string;
  onMerge(em: EntityManager, change: ContactMergeChange): Promise<void>;
  onUndo(em: EntityManager, change: ContactMergeChange): Promise<void>;
}

/** Identity never imports the modules that own per-contact rows; they register here instead. */
@Injectable()
export class ContactMergeRegistry {
  private readonly participants: ContactMergeParticipant[] = [];

  register(participant: ContactMergeParticipant): void {
    if (!this.participants.some((p) => p.name === participant.name)) this.participants.push(participant);
  }

  list(): readonly ContactMergeParticipant[] {
    return this.participants;
  }
}
