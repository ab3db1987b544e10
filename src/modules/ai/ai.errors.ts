import { ConflictError, DomainError, NotFoundError } from '../../common/errors';

export const artifactNotFound = () => new NotFoundError('AI artifact');

export const aiDisabled = () => new DomainError('ai_disabled', 'AI is turned off for this workspace; nothing was sent to an AI provider.');

/** 409 here (API.md § AI), unlike the send policy's 422: the request conflicts with the contact's state, it is not a refused send. */
export const processingRestricted = () =>
  new DomainError('processing_restricted', 'Processing of this contact is restricted; nothing is sent to an AI provider and no AI text is sent to them.', {}, 409);

export const notInState = (detail: string) => new ConflictError(detail);
