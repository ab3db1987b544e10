export { WebhooksModule } from './webhooks.module';
export { WEBHOOK_CLOCK } from './webhooks.tokens';
