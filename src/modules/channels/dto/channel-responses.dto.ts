import { ApiProperty } from '@nestjs/swagger';
import { CHANNEL_TYPES } from '../adapters/normalized';
import { TEMPLATE_STATUSES } from './template.dto';

const ID = { format: 'uuid', example: '0193b3f2-8c1e-7a45-9d2f-5b6a7c8d9e0f' } as const;

export class ChannelResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ enum: CHANNEL_TYPES }) type!: string;
  @ApiProperty({ example: 'Support WhatsApp' }) name!: string;
  @ApiProperty({ enum: ['active', 'disconnected'] }) status!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The provider settings; secrets are masked (`••••3f9a`)',
    example: { phoneNumberId: '106540352242922', accessToken: '••••3f9a', appSecret: '••••91c2' },
  })
  config!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'What to paste into the provider’s settings: `inboundUrl`/`eventsUrl` (email), `url` and `verifyToken` (WhatsApp), `url` (Telegram)',
    example: { url: 'https://api.example.com/v1/webhooks/whatsapp/0193b3f2-8c1e-7a45-9d2f-5b6a7c8d9e0f', verifyToken: 'c2f1…' },
  })
  webhook!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disconnectedAt!: Date | null;
}

export class TemplateResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty(ID) channelId!: string;
  @ApiProperty({ example: 'order_update' }) name!: string;
  @ApiProperty({ example: 'en_US' }) language!: string;
  @ApiProperty({ example: 'UTILITY' }) category!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Meta’s template components (HEADER, BODY, FOOTER, BUTTONS)',
    example: [{ type: 'BODY', text: 'Your order {{1}} has shipped' }],
  })
  components!: Record<string, unknown>[];
  @ApiProperty({ enum: TEMPLATE_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class TemplateSyncResponse {
  @ApiProperty({ type: [TemplateResponse], description: 'The channel’s templates after the sync' }) data!: TemplateResponse[];
  @ApiProperty({ description: 'How many templates Meta returned', example: 3 }) synced!: number;
}

export class WebhookEventResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty(ID) channelId!: string;
  @ApiProperty({ enum: ['inbound', 'events', 'default'] }) kind!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: Date;
  @ApiProperty({ enum: ['pending', 'processed', 'ignored', 'failed'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was ignored or failed' }) reason!: string | null;
  @ApiProperty({ example: 1 }) attempts!: number;
  @ApiProperty({ description: 'The provider’s payload as received (large integers as strings)', nullable: true }) payload!: unknown;
  @ApiProperty({ description: 'What processing produced; null until processed', nullable: true }) result!: unknown;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) processedAt!: Date | null;
}

export class WebhookAckResponse {
  @ApiProperty({ ...ID, type: String, nullable: true, description: 'The ledger row; null when nothing was stored' }) eventId!: string | null;
  @ApiProperty({ description: 'The provider already delivered this event' }) duplicate!: boolean;
  @ApiProperty({ enum: ['pending', 'ignored', 'duplicate'] }) status!: string;
}
