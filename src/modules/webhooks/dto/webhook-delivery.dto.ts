import { ApiProperty } from '@nestjs/swagger';

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also `X-Nanozons-Delivery` and the body\'s `id`, the same on every attempt' }) id!: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ example: 'message.received' }) event!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status of the last attempt' }) responseCode!: number | null;
  @ApiProperty({ description: 'Attempts made so far' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Duration of the last attempt' }) durationMs!: number | null;
  @ApiProperty({ format: 'date-time', description: 'Last attempt, or creation when none was made yet' }) at!: Date;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) data!: WebhookDeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** The body POSTed to the receiver (documented for integrators; built in WebhookDeliveryRunner). */
export class WebhookPayloadDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'message.received' }) event!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'uuid' }) workspaceId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event payload: ids of what changed (no personal data)' })
  data!: Record<string, unknown>;
}
