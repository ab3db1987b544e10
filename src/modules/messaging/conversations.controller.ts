import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { ConversationsService } from './conversations.service';
import { ConversationQuery } from './dto/conversation-query.dto';
import { CreateNoteDto } from './dto/create-note.dto';
import { UpdateConversationDto } from './dto/update-conversation.dto';
import { MessagesService } from './messages.service';
import { ApiJson, ApiPage } from '../../common/openapi';
import { ConversationResponse, ConversationSummaryResponse, MessageResponse } from './dto/messaging-responses.dto';

@ApiTags('conversations')
@Controller('v1/workspaces/:wid/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
  ) {}

  @Get()
  @RequirePermission('read', 'Conversation')
  @ApiOperation({ summary: 'Conversations, newest activity first (keyset-paginated)' })
  @ApiPage(ConversationSummaryResponse, 'A page of conversations')
  list(@Ctx() ctx: RequestCtx, @Query() q: ConversationQuery) {
    return this.conversations.list(ctx, q);
  }

  @Get(':conversationId')
  @RequirePermission('read', 'Conversation')
  @ApiOperation({ summary: 'One conversation with its contact and channels; a merged-away id answers 404 with `mergedInto`' })
  @ApiJson(ConversationResponse, 'The conversation')
  get(@Ctx() ctx: RequestCtx, @Param('conversationId') conversationId: string) {
    return this.conversations.get(ctx, conversationId);
  }

  @Patch(':conversationId')
  @RequirePermission('update', 'Conversation')
  @Audited('conversation.updated', 'Conversation', 'conversationId')
  @ApiOperation({ summary: 'Status (snoozedUntil required exactly when snoozed), assignee (a member’s user id), labels' })
  @ApiJson(ConversationResponse, 'The conversation')
  update(@Ctx() ctx: RequestCtx, @Param('conversationId') conversationId: string, @Body() dto: UpdateConversationDto) {
    return this.conversations.update(ctx, conversationId, dto);
  }

  @Post(':conversationId/notes')
  @RequirePermission('create', 'Message')
  @ApiOperation({ summary: 'An internal note: visible to the team, never sent' })
  @ApiJson(MessageResponse, 'The note (direction `internal`)', 201)
  addNote(@Ctx() ctx: RequestCtx, @Param('conversationId') conversationId: string, @Body() dto: CreateNoteDto) {
    return this.conversations.addNote(ctx, conversationId, dto);
  }

  @Get(':conversationId/messages')
  @RequirePermission('read', 'Message')
  @ApiOperation({ summary: 'Messages oldest first; pages stay stable while new messages arrive' })
  @ApiPage(MessageResponse, 'A page of messages')
  messagesOf(@Ctx() ctx: RequestCtx, @Param('conversationId') conversationId: string, @Query() q: PageQuery) {
    return this.messages.listOfConversation(ctx, conversationId, q);
  }
}
