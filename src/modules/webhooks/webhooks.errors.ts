import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors';

export const subscriptionNotFound = () => new NotFoundError('Webhook subscription');
export const deliveryNotFound = () => new NotFoundError('Webhook delivery');
export const invalidWebhookUrl = (reason: string) => new ValidationFailedError([{ field: 'url', message: `url ${reason}` }], `The webhook URL is not allowed: ${reason}.`);
export const deliveryInProgress = () => new ConflictError('This delivery is still pending; it is retried by itself.');
