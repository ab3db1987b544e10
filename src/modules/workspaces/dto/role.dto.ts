import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, Matches, ValidateNested } from 'class-validator';
import { Action, ACTIONS, Subject, SUBJECTS } from '../../../common/authz';
import { IsFreeText } from '../../../common/validation';
import { IsSafeConditions } from '../role-conditions';

export const ROLE_NAME_MAX_LENGTH = 50;

export class PermissionDto {
  @ApiProperty({ enum: ACTIONS })
  @IsIn(ACTIONS as unknown as string[], { message: `action must be one of: ${ACTIONS.join(', ')}` })
  action!: Action;

  @ApiProperty({ enum: SUBJECTS })
  @IsIn(SUBJECTS as unknown as string[], { message: `subject must be one of: ${SUBJECTS.join(', ')}` })
  subject!: Subject;

  @ApiPropertyOptional({
    description: 'CASL conditions on the record\'s known fields, each a plain value or {$eq|$ne: value} / {$in|$nin: [values]}, e.g. {"assigneeId": "<user id>"}',
  })
  @IsOptional() @IsSafeConditions()
  conditions?: Record<string, unknown>;
}

const ROLE_NAME_DOC = {
  example: 'Support lead',
  minLength: 1,
  maxLength: ROLE_NAME_MAX_LENGTH,
  description:
    `A display name (trimmed, 1-${ROLE_NAME_MAX_LENGTH} characters: letters of any script, digits, spaces and - _ . & ' ( ) / +). ` +
    'Unique per workspace ignoring case, and never a built-in name (`owner`, `admin`, `agent`, `viewer`) in any case. Members and API keys refer to the role by this name or by its id.',
};

/** Letters of any script first, then the characters people use in job titles. */
const IsRoleName = () =>
  applyDecorators(
    IsFreeText(ROLE_NAME_MAX_LENGTH),
    Matches(/^[\p{L}\p{N}][\p{L}\p{M}\p{N} _.&'()/+-]*$/u, { message: "name must start with a letter or digit and contain only letters, digits, spaces and - _ . & ' ( ) / +" }),
  );

export class CreateRoleDto {
  @ApiProperty(ROLE_NAME_DOC)
  @IsRoleName()
  name!: string;

  @ApiProperty({ type: [PermissionDto] })
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => PermissionDto)
  permissions!: PermissionDto[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional(ROLE_NAME_DOC)
  @IsOptional() @IsRoleName()
  name?: string;

  @ApiPropertyOptional({ type: [PermissionDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => PermissionDto)
  permissions?: PermissionDto[];
}
