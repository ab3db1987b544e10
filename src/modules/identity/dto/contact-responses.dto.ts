import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorDto } from '../../../common/openapi';
import { CONSENT_CHANNELS, CONSENT_STATUSES } from '../entities/consent.entity';
import { DUPLICATE_REASONS } from '../duplicate-heuristics';
import { IDENTIFIER_KINDS } from '../identifier-normalizer';

const ID = { format: 'uuid', example: '0193b3f2-8c1e-7a45-9d2f-5b6a7c8d9e0f' } as const;

export class IdentifierResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ enum: IDENTIFIER_KINDS }) kind!: string;
  @ApiProperty({ description: 'Normalized; emails and phones masked without `read ContactPii`', example: '+447700900123' }) value!: string;
  @ApiProperty() verified!: boolean;
  @ApiProperty({ description: 'Where it came from (`api`, `inbound`, …)', example: 'inbound' }) source!: string;
  @ApiProperty({ description: 'The provider reported it unreachable (hard bounce, blocked bot)' }) undeliverable!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) firstSeenAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSeenAt!: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class ContactResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Grace Hopper' }) name!: string | null;
  @ApiProperty({ type: [IdentifierResponse] }) identifiers!: IdentifierResponse[];
  @ApiProperty({ description: 'Processing restricted (GDPR art. 18): nothing is sent to the contact' }) processingRestricted!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSeenAt!: Date | null;
}

export class DuplicatePairResponse {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 2, maxItems: 2 }) contactIds!: string[];
  @ApiProperty({ enum: DUPLICATE_REASONS }) reason!: string;
}

export class ContactMergeResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty(ID) targetContactId!: string;
  @ApiProperty(ID) sourceContactId!: string;
  @ApiProperty({ example: 'manual' }) reason!: string;
  @ApiProperty({ description: 'Merged by identity resolution, not by a person' }) automatic!: boolean;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ format: 'date-time' }) at!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) undoneAt!: Date | null;
}

export class ConsentResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty(ID) contactId!: string;
  @ApiProperty({ enum: CONSENT_CHANNELS }) channelType!: string;
  @ApiProperty({ enum: CONSENT_STATUSES }) status!: string;
  @ApiProperty({ description: 'Where the customer said so: free text (web_form, phone_call, …), or inbound_keyword, provider, import when the system recorded it', example: 'web_form' }) source!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { form: 'checkout', ip: '203.0.113.7' } }) evidence!: Record<string, unknown> | null;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

/** The entry in force per channel (absent: no consent recorded on that channel). */
export class CurrentConsents {
  @ApiPropertyOptional({ type: ConsentResponse }) email?: ConsentResponse;
  @ApiPropertyOptional({ type: ConsentResponse }) whatsapp?: ConsentResponse;
  @ApiPropertyOptional({ type: ConsentResponse }) telegram?: ConsentResponse;
}
