import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import type { PersonalDataChannelType } from '../../../common/privacy';
import { JOB_STATUSES, JobStatus, PRIVACY_REQUEST_TYPES, PrivacyRequestType } from '../entities/privacy-request.entity';

const CHANNEL_TYPES = ['email', 'whatsapp', 'telegram'] as const;

export class PrivacyScopeDto {
  @ApiProperty({ enum: CHANNEL_TYPES, description: 'Erasure only: remove just this channel type\'s part (its identifiers, messages, raw payloads, consents); the contact stays' })
  @IsIn(CHANNEL_TYPES as unknown as string[], { message: `channelType must be one of: ${CHANNEL_TYPES.join(', ')}` })
  channelType!: PersonalDataChannelType;
}

export class CreatePrivacyRequestDto {
  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES })
  @IsIn(PRIVACY_REQUEST_TYPES as unknown as string[], { message: `type must be one of: ${PRIVACY_REQUEST_TYPES.join(', ')}` })
  type!: PrivacyRequestType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId!: string;

  @ApiPropertyOptional({ type: PrivacyScopeDto })
  @IsOptional() @ValidateNested() @Type(() => PrivacyScopeDto)
  scope?: PrivacyScopeDto;
}

export class PrivacyRequestView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES }) type!: PrivacyRequestType;
  @ApiProperty({ format: 'uuid' }) contactId!: string;
  @ApiProperty({ type: PrivacyScopeDto, nullable: true }) scope!: PrivacyScopeDto | null;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' }) error!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) completedAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'Access requests: the document can be downloaded until then (7 days)' }) expiresAt!: Date | null;
}
