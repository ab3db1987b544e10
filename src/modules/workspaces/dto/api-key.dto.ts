import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CRM sync' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'agent', description: 'A built-in or custom role name' })
  @IsString() @MinLength(1) @MaxLength(100)
  role!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate()
  expiresAt?: Date;
}
