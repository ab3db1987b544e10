import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Action, ACTIONS, Subject, SUBJECTS } from '../../../common/authz';
import { IsSafeConditions } from '../role-conditions';

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

export class CreateRoleDto {
  @ApiProperty({ example: 'support-lead' })
  @IsString() @Matches(/^[a-z0-9][a-z0-9_-]{0,49}$/, { message: 'name must be 1-50 lower-case letters, digits, - or _' })
  name!: string;

  @ApiProperty({ type: [PermissionDto] })
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => PermissionDto)
  permissions!: PermissionDto[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @Matches(/^[a-z0-9][a-z0-9_-]{0,49}$/) @MaxLength(50)
  name?: string;

  @ApiPropertyOptional({ type: [PermissionDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => PermissionDto)
  permissions?: PermissionDto[];
}
