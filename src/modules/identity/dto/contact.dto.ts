import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../common/pagination';
import { IDENTIFIER_KINDS, IdentifierKind } from '../identifier-normalizer';

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
}

export class CreateContactDto {
  @ApiPropertyOptional({ example: 'Jane Doe' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiProperty({ type: [IdentifierInputDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => IdentifierInputDto)
  identifiers!: IdentifierInputDto[];
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
