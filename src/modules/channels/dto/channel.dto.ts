import { ApiProperty, ApiPropertyOptional, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CHANNEL_TYPES, ChannelType } from '../adapters';
import { EmailConfigDto, TelegramConfigDto, WhatsappConfigDto } from './channel-config.dto';

const configSchema = {
  oneOf: [{ $ref: getSchemaPath(EmailConfigDto) }, { $ref: getSchemaPath(WhatsappConfigDto) }, { $ref: getSchemaPath(TelegramConfigDto) }],
};

@ApiExtraModels(EmailConfigDto, WhatsappConfigDto, TelegramConfigDto)
export class ConnectChannelDto {
  @ApiProperty({ enum: CHANNEL_TYPES })
  @IsIn(CHANNEL_TYPES as unknown as string[])
  type!: ChannelType;

  @ApiProperty({ example: 'Support inbox' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiProperty({ ...configSchema, description: 'Provider configuration for `type`' })
  @IsObject()
  config!: Record<string, unknown>;
}

export class UpdateChannelDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ ...configSchema, description: 'Fields to change, e.g. a rotated token; omitted fields are kept' })
  @IsOptional() @IsObject()
  config?: Record<string, unknown>;
}
