import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, Matches, MaxLength } from 'class-validator';

export const TEMPLATE_STATUSES = ['approved', 'pending', 'rejected', 'paused', 'disabled'] as const;

export class CreateTemplateDto {
  @ApiProperty({ example: 'order_update' })
  @IsString() @Matches(/^[a-z0-9_]{1,512}$/, { message: 'name must be lower-case letters, digits and _' })
  name!: string;

  @ApiProperty({ example: 'en_US' })
  @IsString() @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/)
  language!: string;

  @ApiProperty({ example: 'UTILITY' })
  @IsString() @MaxLength(50)
  category!: string;

  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, example: [{ type: 'BODY', text: 'Your order {{1}} ships {{2}}.' }] })
  @IsArray() @ArrayMaxSize(10) @IsObject({ each: true })
  components!: Record<string, unknown>[];

  @ApiProperty({ enum: TEMPLATE_STATUSES })
  @IsIn(TEMPLATE_STATUSES as unknown as string[])
  status!: (typeof TEMPLATE_STATUSES)[number];
}

/** Name and language identify a template at Meta, so they are fixed once recorded. */
export class UpdateTemplateDto extends PartialType(PickType(CreateTemplateDto, ['category', 'components', 'status'] as const)) {}
