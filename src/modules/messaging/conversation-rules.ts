import type { FieldError } from '../../common/errors';
import type { ConversationStatus } from './entities/conversation.entity';
import { SNOOZE_ERRORS } from './messaging.errors';

export interface StatusChangeRequest {
  status?: ConversationStatus;
  snoozedUntil?: Date | null;
}

/**
 * `snoozedUntil` is required exactly when the conversation ends up snoozed and must then lie in the
 * future; leaving `snoozed` clears it. Returns the resulting pair, or the field errors.
 */
export function nextSnoozeState(
  current: { status: ConversationStatus; snoozedUntil?: Date | null },
  change: StatusChangeRequest,
  now: Date,
): { status: ConversationStatus; snoozedUntil: Date | null } | { errors: FieldError[] } {
  const status = change.status ?? current.status;
  if (status !== 'snoozed') {
    return change.snoozedUntil ? { errors: [SNOOZE_ERRORS.notSnoozed] } : { status, snoozedUntil: null };
  }
  // Snoozing (or re-snoozing) always names the wake-up time; other edits of a snoozed conversation keep it.
  if (change.status === 'snoozed' || change.snoozedUntil !== undefined) {
    if (!change.snoozedUntil) return { errors: [SNOOZE_ERRORS.required] };
    if (change.snoozedUntil <= now) return { errors: [SNOOZE_ERRORS.future] };
    return { status, snoozedUntil: change.snoozedUntil };
  }
  return { status, snoozedUntil: current.snoozedUntil ?? null };
}

/** Trimmed, de-duplicated, in the order given. */
export const normalizeLabels = (labels: string[]): string[] => [...new Set(labels.map((l) => l.trim()).filter(Boolean))];
