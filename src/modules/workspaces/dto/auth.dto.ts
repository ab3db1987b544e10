import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class SignupDto {
  @ApiProperty({ example: 'jane@example.com' })
  @Transform(normalizeEmail) @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString() @MinLength(10) @MaxLength(200)
  password!: string;

  @ApiProperty({ example: 'Jane Doe' })
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Acme Support' })
  @IsString() @MinLength(1) @MaxLength(200)
  workspaceName!: string;
}

export class LoginDto {
  @ApiProperty()
  @Transform(normalizeEmail) @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(200)
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(512)
  refreshToken!: string;
}

export { normalizeEmail };
