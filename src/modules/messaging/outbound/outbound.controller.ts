import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../../common/authz';
import { Audited } from '../../audit';
import { SendMessageDto, SendToContactDto } from './dto/send-message.dto';
import { OutboundService } from './outbound.service';
import { ApiJson } from '../../../common/openapi';
import { MessageResponse } from '../dto/messaging-responses.dto';

@ApiTags('messages')
@Controller('v1/workspaces/:wid')
export class OutboundController {
  constructor(private readonly outbound: OutboundService) {}

  @Post('conversations/:conversationId/messages')
  @HttpCode(202)
  @RequirePermission('send', 'Message')
  @Audited('message.sent', 'Message')
  @ApiOperation({ summary: 'Send in a conversation (202, `queued`); refusals of the send policy answer 422 and create nothing' })
  @ApiJson(MessageResponse, 'The message, `queued`', 202)
  send(@Ctx() ctx: RequestCtx, @Param('conversationId') conversationId: string, @Body() dto: SendMessageDto) {
    return this.outbound.sendInConversation(ctx, conversationId, dto);
  }

  @Post('messages')
  @HttpCode(202)
  @RequirePermission('send', 'Message')
  @Audited('message.sent', 'Message')
  @ApiOperation({ summary: 'Business-initiated send to a contact on a channel (202, `queued`)' })
  @ApiJson(MessageResponse, 'The message, `queued`', 202)
  sendToContact(@Ctx() ctx: RequestCtx, @Body() dto: SendToContactDto) {
    return this.outbound.sendToContact(ctx, dto);
  }

  @Post('messages/:messageId/retry')
  @HttpCode(202)
  @RequirePermission('send', 'Message')
  @Audited('message.sent', 'Message', 'messageId')
  @ApiOperation({ summary: 'A failed outbound message gets a new attempt (policy re-checked); 409 `retry_not_allowed` otherwise' })
  @ApiJson(MessageResponse, 'The message, `queued` again', 202)
  retry(@Ctx() ctx: RequestCtx, @Param('messageId') messageId: string) {
    return this.outbound.retry(ctx, messageId);
  }
}
