import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination';
import { CONVERSATION_STATUSES, ConversationStatus } from '../entities/conversation.entity';

export class ConversationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES })
  @IsOptional() @IsIn(CONVERSATION_STATUSES as unknown as string[])
  status?: ConversationStatus;

  @ApiPropertyOptional({ description: "A member's user id" })
  @IsOptional() @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'Conversations with traffic on this channel' })
  @IsOptional() @IsUUID()
  channelId?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({ example: 'billing' })
  @IsOptional() @IsString() @MaxLength(50)
  label?: string;
}
