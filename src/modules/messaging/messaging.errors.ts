import { FieldError, NotFoundError, ValidationFailedError } from '../../common/errors';

/** A conversation merged into another answers 404 and names the one that lives on (as contacts do). */
export const conversationNotFound = (mergedInto?: string) => new NotFoundError('Conversation', mergedInto ? { mergedInto } : {});

export const messageNotFound = () => new NotFoundError('Message');

export const attachmentNotFound = () => new NotFoundError('Attachment');

export const invalidConversationUpdate = (errors: FieldError[]) => new ValidationFailedError(errors, 'The conversation update is invalid.');

export const SNOOZE_ERRORS = {
  required: { field: 'snoozedUntil', message: 'snoozedUntil is required when status is snoozed' },
  future: { field: 'snoozedUntil', message: 'snoozedUntil must be in the future' },
  notSnoozed: { field: 'snoozedUntil', message: 'snoozedUntil is only allowed when status is snoozed' },
} as const;

export const NOT_A_MEMBER: FieldError = { field: 'assigneeId', message: "assigneeId must be an active member's user id" };
