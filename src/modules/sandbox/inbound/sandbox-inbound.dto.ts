import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

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
