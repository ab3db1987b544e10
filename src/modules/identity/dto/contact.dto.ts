import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../common/pagination';
import { IsFreeText } from '../../../common/validation';
import { IDENTIFIER_KINDS, IdentifierKind } from '../identifier-normalizer';

const IDENTIFIER_SOURCE_MAX_LENGTH = 64;

export class IdentifierInputDto {
  @ApiProperty({ enum: IDENTIFIER_KINDS })
  @IsIn(IDENTIFIER_KINDS as unknown as string[], { message: `kind must be one of: ${IDENTIFIER_KINDS.join(', ')}` })
  kind!: IdentifierKind;

  @ApiProperty({
    example: '07700 900123',
    description: 'Normalized on save: emails lower-cased, phones to E.164 (national formats use the workspace defaultCountry), whatsapp the wa_id digits or business-scoped user id, telegram the user id',
  })
  @IsString() @MinLength(1) @MaxLength(320)
  value!: string;

  @ApiPropertyOptional({
    example: 'business_card',
    maxLength: IDENTIFIER_SOURCE_MAX_LENGTH,
    description: `Where it came from, as free text (trimmed, 1-${IDENTIFIER_SOURCE_MAX_LENGTH} characters); default \`api\`. Identifiers the channels prove are recorded with their channel type (or \`contact_card\`) and \`verified: true\`.`,
  })
  @IsOptional() @IsFreeText(IDENTIFIER_SOURCE_MAX_LENGTH)
  source?: string;
}

export class CreateContactDto {
  @ApiPropertyOptional({ example: 'Jane Doe' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: [IdentifierInputDto], description: 'May be empty or absent: a name-only contact (a lead typed in by an agent) gets identifiers later through POST …/identifiers' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => IdentifierInputDto)
  identifiers?: IdentifierInputDto[];
}

export class UpdateContactDto {
  @ApiPropertyOptional({ nullable: true, description: 'null clears the name' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string | null;

  @ApiPropertyOptional({ description: 'Restriction of processing: no AI and no business-initiated sends' })
  @ValidateIf((_: object, value: unknown) => value !== undefined) @IsBoolean()
  processingRestricted?: boolean;
}

export class ContactQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'A fragment of the name or of an identifier (email, phone digits, Telegram id)' })
  @IsOptional() @IsString() @MaxLength(200)
  query?: string;
}
