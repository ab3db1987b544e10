import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Meta's subscription handshake; each parameter a single string (a repeated one answers 400, never a 500). */
export class WhatsappVerifyQuery {
  @ApiPropertyOptional({ name: 'hub.mode', example: 'subscribe' })
  @IsOptional() @IsString() @MaxLength(32)
  'hub.mode'?: string;

  @ApiPropertyOptional({ name: 'hub.verify_token' })
  @IsOptional() @IsString() @MaxLength(256)
  'hub.verify_token'?: string;

  @ApiPropertyOptional({ name: 'hub.challenge', description: 'Echoed back as text/plain when the token matches' })
  @IsOptional() @IsString() @MaxLength(256)
  'hub.challenge'?: string;
}
