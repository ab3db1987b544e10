import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class CreateNoteDto {
  @ApiProperty({ example: 'Customer called, refund approved.' })
  @IsString() @MinLength(1) @MaxLength(10_000)
  text!: string;
}
