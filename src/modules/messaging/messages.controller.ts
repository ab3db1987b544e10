import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { MessagesService } from './messages.service';
import { ApiJson } from '../../common/openapi';
import { MessageResponse } from './dto/messaging-responses.dto';

@ApiTags('messages')
@Controller('v1/workspaces/:wid/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get(':messageId')
  @RequirePermission('read', 'Message')
  @ApiOperation({ summary: 'One message with attachments, reactions, edit history and delivery status' })
  @ApiJson(MessageResponse, 'The message')
  get(@Ctx() ctx: RequestCtx, @Param('messageId') messageId: string) {
    return this.messages.get(ctx, messageId);
  }
}
