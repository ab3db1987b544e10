import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { trimString } from '../../../common/validation';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { normalizeEmail } from './auth.dto';

export class InviteMemberDto {
  @ApiProperty()
  @Transform(normalizeEmail) @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'agent', description: 'A role: a built-in or custom role name (in any case), or a role id' })
  @Transform(trimString) @IsString() @MinLength(1) @MaxLength(100)
  role!: string;
}

export class UpdateMemberDto {
  @ApiProperty({ example: 'admin', description: 'A role: a built-in or custom role name (in any case), or a role id' })
  @Transform(trimString) @IsString() @MinLength(1) @MaxLength(100)
  role!: string;
}

export class AcceptInvitationDto {
  @ApiPropertyOptional({ description: 'Required when the invited person has no account yet' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ minLength: 10 })
  @IsOptional() @IsString() @MinLength(10) @MaxLength(200)
  password?: string;
}
