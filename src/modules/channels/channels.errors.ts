import { DomainError, ValidationFailedError } from '../../common/errors';
import { ProviderError } from './adapters';

/** The provider refused the credentials on connect (e.g. Telegram's "Unauthorized"). */
export const providerRejected = (e: ProviderError) =>
  new DomainError('validation_failed', `The provider rejected the configuration: ${e.message}`, {
    errors: [{ field: 'config', message: e.message }],
    providerCode: e.classification.code,
  }, 422);

export const invalidConfig = (errors: { field: string; message: string }[]) => new ValidationFailedError(errors, 'The channel configuration is invalid.');

export class InvalidSignatureError extends DomainError {
  constructor() {
    super('invalid_signature', 'The request credentials or signature are invalid.');
  }
}

/** 503 so the provider retries the delivery later instead of losing the event. */
export class WebhookStorageUnavailableError extends DomainError {
  constructor() {
    super('service_unavailable', 'The event could not be stored; please retry.');
  }
}
