import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@Controller('v1/workspaces/:wid/attachments')
export class AttachmentsController {
  constructor(private readonly messages: MessagesService) {}

  @Get(':attachmentId')
  @RequirePermission('read', 'Message')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiOperation({ summary: 'The file of an attachment, with its content type' })
  @ApiOkResponse({ description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  download(@Ctx() ctx: RequestCtx, @Param('attachmentId') attachmentId: string) {
    return this.messages.attachment(ctx, attachmentId);
  }
}
