import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { trimString } from '../../../common/validation';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength, MinDate, MinLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CRM sync' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'agent', description: 'A role: a built-in or custom role name (in any case), or a role id' })
  @Transform(trimString) @IsString() @MinLength(1) @MaxLength(100)
  role!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Must be in the future; the key answers 401 from then on' })
  @IsOptional() @Type(() => Date) @IsDate() @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}
