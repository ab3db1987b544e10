import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination';

export class SearchQuery extends PageQuery {
  @ApiProperty({ example: 'invoice', description: 'Words of message text or subjects; a contact name or part of an identifier (e.g. phone digits)' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MinLength(2) @MaxLength(200)
  q!: string;
}
