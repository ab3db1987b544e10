import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { normalizeEmail } from './auth.dto';

export class InviteMemberDto {
  @ApiProperty()
  @Transform(normalizeEmail) @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'agent', description: 'A built-in or custom role name' })
  @IsString() @MinLength(1) @MaxLength(100)
  role!: string;
}

export class UpdateMemberDto {
  @ApiProperty({ example: 'admin' })
  @IsString() @MinLength(1) @MaxLength(100)
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
