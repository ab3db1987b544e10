import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional } from 'class-validator';
import { CONSENT_CHANNELS, CONSENT_SOURCES, CONSENT_STATUSES, ConsentChannel, ConsentSource, ConsentStatus } from '../entities/consent.entity';

export class RecordConsentDto {
  @ApiProperty({ enum: CONSENT_CHANNELS })
  @IsIn(CONSENT_CHANNELS as unknown as string[], { message: `channelType must be one of: ${CONSENT_CHANNELS.join(', ')}` })
  channelType!: ConsentChannel;

  @ApiProperty({ enum: CONSENT_STATUSES })
  @IsIn(CONSENT_STATUSES as unknown as string[], { message: `status must be one of: ${CONSENT_STATUSES.join(', ')}` })
  status!: ConsentStatus;

  @ApiProperty({ enum: CONSENT_SOURCES })
  @IsIn(CONSENT_SOURCES as unknown as string[], { message: `source must be one of: ${CONSENT_SOURCES.join(', ')}` })
  source!: ConsentSource;

  @ApiPropertyOptional({ description: 'What proves it: a form submission, the keyword message id, an import file name…', example: { form: 'checkout', ip: '203.0.113.7' } })
  @IsOptional() @IsObject()
  evidence?: Record<string, unknown>;
}
