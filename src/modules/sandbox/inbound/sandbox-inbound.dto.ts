import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class SandboxInboundDto {
  @ApiProperty({ description: 'Sender: an email address, a WhatsApp number (digits) or a Telegram user id', example: '4915112345678' })
  @IsString() @MinLength(1) @MaxLength(254)
  from!: string;

  @ApiProperty({ example: 'Hi, where is my order?' })
  @IsString() @MinLength(1) @MaxLength(4096)
  text!: string;

  @ApiPropertyOptional({ description: 'Sender display name' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Email subject' })
  @IsOptional() @IsString() @MaxLength(500)
  subject?: string;
}

export class SandboxStatusDto {
  @ApiProperty({ description: "The sent message's `providerMessageId` (the wamid, or Postmark's MessageID)", example: 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjQ' })
  @IsString() @MinLength(1) @MaxLength(256)
  providerMessageId!: string;

  @ApiProperty({ enum: ['delivered', 'read'], description: 'WhatsApp reports both; Postmark only `delivered`; Telegram neither (422).' })
  @IsIn(['delivered', 'read'])
  status!: 'delivered' | 'read';

  @ApiPropertyOptional({ description: "The recipient as the provider names it: the wa_id (optional), or the email address (required for email)" })
  @IsOptional() @IsString() @MaxLength(254)
  recipient?: string;
}

export class SandboxWebhookResultDto {
  @ApiProperty({ description: 'Status code the platform answered the signed webhook with', example: 200 })
  webhookStatus!: number;

  @ApiProperty({ description: "The platform's answer to the webhook", nullable: true, type: Object })
  webhookResponse!: unknown;
}
