import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { ConnectChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { ChannelsService } from './channels.service';

@ApiTags('channels')
@Controller('v1/workspaces/:wid/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @RequirePermission('create', 'Channel')
  @Audited('channel.connected', 'Channel')
  @ApiOperation({ summary: 'Connect Postmark, WhatsApp or Telegram; the answer carries the webhook URLs to configure' })
  @ApiUnprocessableEntityResponse({ description: 'The provider rejected the credentials (e.g. a bad Telegram token)' })
  connect(@Ctx() ctx: RequestCtx, @Body() dto: ConnectChannelDto) {
    return this.channels.connect(ctx, dto);
  }

  @Get()
  @RequirePermission('read', 'Channel')
  list(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.channels.list(ctx, q);
  }

  @Get(':channelId')
  @RequirePermission('read', 'Channel')
  get(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string) {
    return this.channels.get(ctx, channelId);
  }

  @Patch(':channelId')
  @RequirePermission('update', 'Channel')
  @Audited('channel.updated', 'Channel', 'channelId')
  @ApiOperation({ summary: 'Rename or rotate credentials' })
  update(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Body() dto: UpdateChannelDto) {
    return this.channels.update(ctx, channelId, dto);
  }

  @Delete(':channelId')
  @HttpCode(204)
  @RequirePermission('delete', 'Channel')
  @Audited('channel.disconnected', 'Channel', 'channelId')
  @ApiOperation({ summary: 'Disconnect (Telegram: deleteWebhook)' })
  async disconnect(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string) {
    await this.channels.disconnect(ctx, channelId);
  }
}
