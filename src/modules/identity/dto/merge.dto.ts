import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class MergeContactDto {
  @ApiProperty({ format: 'uuid', description: 'The contact merged into this one; its id then answers 404 with `mergedInto`' })
  @IsUUID()
  sourceContactId!: string;
}
