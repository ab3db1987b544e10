import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Postmark: server token, the sender address, and the inbound address customers write to. */
export class EmailConfigDto {
  @ApiProperty({ description: 'Postmark server API token (secret)' })
  @IsString() @MinLength(8) @MaxLength(200)
  serverToken!: string;

  @ApiProperty({ example: 'support@acme.example' })
  @IsEmail() @MaxLength(254)
  fromAddress!: string;

  @ApiProperty({ example: 'support@inbound.acme.example' })
  @IsEmail() @MaxLength(254)
  inboundAddress!: string;

  @ApiPropertyOptional({ default: 'outbound' })
  @IsOptional() @IsString() @Matches(/^[a-z0-9-]{1,50}$/)
  messageStream?: string;
}

export class WhatsappConfigDto {
  @ApiProperty() @IsString() @Matches(/^\d{5,30}$/, { message: 'phoneNumberId must be digits' })
  phoneNumberId!: string;

  @ApiProperty() @IsString() @Matches(/^\d{5,30}$/, { message: 'businessAccountId must be digits' })
  businessAccountId!: string;

  @ApiProperty({ description: 'System-user access token (secret)' })
  @IsString() @MinLength(8) @MaxLength(1000)
  accessToken!: string;

  @ApiProperty({ description: 'App secret used to sign webhooks (secret)' })
  @IsString() @MinLength(8) @MaxLength(200)
  appSecret!: string;

  @ApiPropertyOptional({ example: '+1 555 010 0000' })
  @IsOptional() @IsString() @MaxLength(30)
  displayPhoneNumber?: string;

  @ApiPropertyOptional({ default: 80, description: 'Send rate per second for this number' })
  @IsOptional() @IsInt() @Min(1) @Max(1000)
  messagesPerSecond?: number;
}

export class TelegramConfigDto {
  @ApiProperty({ description: 'Bot token from @BotFather (secret)' })
  @IsString() @Matches(/^\d+:[A-Za-z0-9_-]{20,}$|^[A-Za-z0-9:_-]{3,200}$/)
  botToken!: string;
}

export const CONFIG_DTOS = { email: EmailConfigDto, whatsapp: WhatsappConfigDto, telegram: TelegramConfigDto } as const;

/** Which config fields are secrets: encrypted at rest, masked in answers. */
export const SECRET_FIELDS = { email: ['serverToken'], whatsapp: ['accessToken', 'appSecret'], telegram: ['botToken'] } as const;
