import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional } from 'class-validator';
import { IsFreeText } from '../../../common/validation';
import { COMMON_CONSENT_SOURCES, CONSENT_CHANNELS, CONSENT_SOURCE_MAX_LENGTH, CONSENT_STATUSES, ConsentChannel, ConsentStatus, SYSTEM_CONSENT_SOURCES } from '../entities/consent.entity';

export class RecordConsentDto {
  @ApiProperty({ enum: CONSENT_CHANNELS })
  @IsIn(CONSENT_CHANNELS as unknown as string[], { message: `channelType must be one of: ${CONSENT_CHANNELS.join(', ')}` })
  channelType!: ConsentChannel;

  @ApiProperty({ enum: CONSENT_STATUSES })
  @IsIn(CONSENT_STATUSES as unknown as string[], { message: `status must be one of: ${CONSENT_STATUSES.join(', ')}` })
  status!: ConsentStatus;

  @ApiProperty({
    example: 'web_form',
    minLength: 1,
    maxLength: CONSENT_SOURCE_MAX_LENGTH,
    description: `Where the customer gave or withdrew consent, as free text (trimmed, 1-${CONSENT_SOURCE_MAX_LENGTH} characters). Common values: ${COMMON_CONSENT_SOURCES.map((s) => `\`${s}\``).join(', ')}. The system records ${SYSTEM_CONSENT_SOURCES.map((s) => `\`${s}\``).join(', ')} itself (STOP/START messages, provider signals, the suppression list).`,
  })
  @IsFreeText(CONSENT_SOURCE_MAX_LENGTH)
  source!: string;

  @ApiPropertyOptional({ description: 'What proves it: a form submission, the keyword message id, an import file name…', example: { form: 'checkout', ip: '203.0.113.7' } })
  @IsOptional() @IsObject()
  evidence?: Record<string, unknown>;
}
