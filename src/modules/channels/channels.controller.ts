import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { ConnectChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { ChannelsService } from './channels.service';
import { ApiJson, ApiPage } from '../../common/openapi';
import { ChannelResponse } from './dto/channel-responses.dto';

@ApiTags('channels')
@Controller('v1/workspaces/:wid/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @RequirePermission('create', 'Channel')
  @Audited('channel.connected', 'Channel')
  @ApiOperation({ summary: 'Connect Postmark, WhatsApp or Telegram; the answer carries the webhook URLs to configure' })
  @ApiUnprocessableEntityResponse({ description: 'The provider rejected the credentials (e.g. a bad Telegram token)' })
  @ApiJson(ChannelResponse, 'The channel with its webhook URLs', 201)
  connect(@Ctx() ctx: RequestCtx, @Body() dto: ConnectChannelDto) {
    return this.channels.connect(ctx, dto);
  }

  @Get()
  @RequirePermission('read', 'Channel')
  @ApiOperation({ summary: 'Connected and disconnected channels (secrets masked)' })
  @ApiPage(ChannelResponse, 'A page of channels')
  list(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.channels.list(ctx, q);
  }

  @Get(':channelId')
  @RequirePermission('read', 'Channel')
  @ApiOperation({ summary: 'A channel with its masked config and webhook URLs' })
  @ApiJson(ChannelResponse, 'The channel')
  get(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string) {
    return this.channels.get(ctx, channelId);
  }

  @Patch(':channelId')
  @RequirePermission('update', 'Channel')
  @Audited('channel.updated', 'Channel', 'channelId')
  @ApiOperation({ summary: 'Rename or rotate credentials' })
  @ApiJson(ChannelResponse, 'The channel')
  update(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Body() dto: UpdateChannelDto) {
    return this.channels.update(ctx, channelId, dto);
  }

  @Delete(':channelId')
  @HttpCode(204)
  @RequirePermission('delete', 'Channel')
  @Audited('channel.disconnected', 'Channel', 'channelId')
  @ApiOperation({ summary: 'Disconnect (Telegram: deleteWebhook)' })
  @ApiNoContentResponse({ description: 'Done; no body' })
  async disconnect(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string) {
    await this.channels.disconnect(ctx, channelId);
  }
}
