import type { MessageReaction, MessageRevision } from './entities/message.entity';

/**
 * A contact has one reaction per message (WhatsApp's rule): a new emoji replaces theirs and ''
 * removes it. Agents' reactions are kept. A reaction older than the stored one (a replay arriving
 * late) changes nothing, so applying the same event twice is harmless; within one provider second
 * (timestamps are whole seconds) the later delivery wins.
 */
export function applyContactReaction(reactions: MessageReaction[], emoji: string, at: Date): MessageReaction[] | null {
  const mine = reactions.find((r) => r.by === 'contact');
  if (mine && (new Date(mine.at) > at || (mine.emoji === emoji && new Date(mine.at).getTime() === at.getTime()))) return null;
  if (!mine && emoji === '') return null;
  const others = reactions.filter((r) => r.by !== 'contact');
  return emoji === '' ? others : [...others, { emoji, by: 'contact', at: at.toISOString() }];
}

export interface EditableText {
  text: string | null;
  editedAt: Date | null;
  /** When the current text was written (the provider time of the original message). */
  writtenAt: Date;
  revisions: MessageRevision[];
}

/**
 * Applies an edit, keeping the text it replaces (and when that text was written) in `revisions`.
 * Edits that are not newer than the last one applied are replays and change nothing.
 */
export function applyEdit(current: EditableText, text: string, editedAt: Date): Pick<EditableText, 'text' | 'editedAt' | 'revisions'> | null {
  if (current.editedAt && current.editedAt >= editedAt) return null;
  if (current.text === text) return null;
  const previous: MessageRevision = { text: current.text, at: (current.editedAt ?? current.writtenAt).toISOString() };
  return { text, editedAt, revisions: [...current.revisions, previous] };
}
