import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { DOMAIN_EVENTS } from '../../../common/events';

export const ALL_EVENTS = '*';
export const SUBSCRIBABLE_EVENTS = [ALL_EVENTS, ...DOMAIN_EVENTS] as const;

export class CreateWebhookSubscriptionDto {
  @ApiProperty({ example: 'https://hooks.example.com/nanozons', description: 'https in production; private, loopback and link-local targets are refused' })
  @IsString() @MaxLength(2048)
  url!: string;

  @ApiProperty({ enum: SUBSCRIBABLE_EVENTS, isArray: true, example: ['message.received', 'conversation.updated'], description: '`*` for every event' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(SUBSCRIBABLE_EVENTS.length) @ArrayUnique() @IsIn(SUBSCRIBABLE_EVENTS, { each: true })
  events!: string[];
}

export class WebhookSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: SUBSCRIBABLE_EVENTS, isArray: true }) events!: string[];
  @ApiProperty({ enum: ['active', 'disabled'], description: '`disabled` after 24 h of failing deliveries' }) status!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'Until then the pre-rotation secret signs too' })
  previousSecretExpiresAt!: Date | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) disabledAt!: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class WebhookSubscriptionWithSecretDto extends WebhookSubscriptionDto {
  @ApiProperty({ example: 'whsec_…', description: 'Shown only here; verify `X-Nanozons-Signature` with it' })
  secret!: string;
}

export class WebhookSubscriptionPageDto {
  @ApiProperty({ type: [WebhookSubscriptionDto] }) data!: WebhookSubscriptionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
