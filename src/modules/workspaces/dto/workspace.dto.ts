import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsISO31661Alpha2, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';

/** Optional, but never null: these have no "cleared" state (unlike businessName and friends). */
const IsPresentOrAbsent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme Support' })
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;
}

export class WorkspaceSettingsDto {
  @ApiPropertyOptional()
  @IsPresentOrAbsent() @IsBoolean()
  aiEnabled?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Mask emails, phone numbers and other identifiers before an external AI provider sees them' })
  @IsPresentOrAbsent() @IsBoolean()
  aiMaskIdentifiers?: boolean;

  @ApiPropertyOptional({ example: 'GB', description: 'ISO 3166-1 alpha-2, used to normalize national phone numbers' })
  @IsPresentOrAbsent() @IsISO31661Alpha2()
  defaultCountry?: string;

  @ApiPropertyOptional({ example: ['STOP', 'ARRET', 'BAJA'], description: 'Whole-message opt-out keywords (case-insensitive); omit for the multilingual defaults' })
  @IsPresentOrAbsent() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(50, { each: true })
  optOutKeywords?: string[];

  @ApiPropertyOptional({ example: ['START'], description: 'Whole-message opt-in keywords; omit for the defaults' })
  @IsPresentOrAbsent() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(50, { each: true })
  optInKeywords?: string[];
}

export class UpdateWorkspaceDto {
  @ApiPropertyOptional()
  @IsPresentOrAbsent() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(200)
  businessName?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsEmail() @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ example: '+442071234567' })
  @IsOptional() @Matches(/^\+?[0-9 ().-]{5,30}$/) @MaxLength(30)
  contactPhone?: string;

  @ApiPropertyOptional({ description: "The billing provider's customer reference (never card data)" })
  @IsOptional() @IsString() @MaxLength(100)
  billingCustomerRef?: string;

  @ApiPropertyOptional({ type: WorkspaceSettingsDto })
  @IsOptional() @ValidateNested() @Type(() => WorkspaceSettingsDto)
  settings?: WorkspaceSettingsDto;
}

export class MyWorkspaceDto {
  @ApiProperty({ format: 'uuid', description: 'The `{wid}` of the workspace routes' })
  id!: string;

  @ApiProperty({ example: 'Acme Support' })
  name!: string;

  @ApiProperty({ enum: ['active', 'closing'] })
  status!: string;

  @ApiProperty({ example: 'owner', description: "The caller's role name there (built-in or custom)" })
  role!: string;

  @ApiProperty({ format: 'uuid' })
  roleId!: string;
}

export class MyWorkspacesPageDto {
  @ApiProperty({ type: [MyWorkspaceDto] })
  data!: MyWorkspaceDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one' })
  nextCursor!: string | null;
}
