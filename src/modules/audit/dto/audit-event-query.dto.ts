import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination';

export class AuditEventQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'member.role_changed' })
  @IsOptional() @IsString() @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'User, API key or system id' })
  @IsOptional() @IsString() @MaxLength(100)
  actorId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;
}
