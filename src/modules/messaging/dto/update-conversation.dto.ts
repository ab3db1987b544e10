import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { CONVERSATION_STATUSES, ConversationStatus } from '../entities/conversation.entity';

/** Optional, but never null: a conversation always has a status and a label list. */
const IsPresentOrAbsent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

const trimAll = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value);

export class UpdateConversationDto {
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES })
  @IsPresentOrAbsent() @IsIn(CONVERSATION_STATUSES as unknown as string[])
  status?: ConversationStatus;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: 'Required (and in the future) exactly when status is `snoozed`' })
  @IsOptional() @Type(() => Date) @IsDate()
  snoozedUntil?: Date | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: "An active member's user id; null unassigns" })
  @IsOptional() @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['billing', 'vip'], description: 'Replaces the labels' })
  @IsPresentOrAbsent() @Transform(trimAll) @IsArray() @ArrayMaxSize(20)
  @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(50, { each: true })
  @Matches(/^[^\p{Cc}]+$/u, { each: true, message: 'labels must not contain control characters' })
  labels?: string[];
}
