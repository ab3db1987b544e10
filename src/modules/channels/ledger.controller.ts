import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { Audited } from '../audit';
import { WebhookEventQuery } from './dto/webhook-event-query.dto';
import { LedgerService } from './ledger/ledger.service';
import { ApiJson, ApiPage } from '../../common/openapi';
import { WebhookEventResponse } from './dto/channel-responses.dto';

@ApiTags('channels')
@Controller('v1/workspaces/:wid/channels/:channelId/webhook-events')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get()
  @RequirePermission('read', 'WebhookEvent')
  @ApiOperation({ summary: 'The raw inbound ledger of this channel (90 days), newest first' })
  @ApiPage(WebhookEventResponse, 'A page of stored provider calls')
  list(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Query() q: WebhookEventQuery) {
    return this.ledger.list(ctx, channelId, q);
  }

  @Post(':eventId/replay')
  @HttpCode(202)
  @RequirePermission('update', 'WebhookEvent')
  @Audited('webhook_event.replayed', 'WebhookEvent', 'eventId')
  @ApiOperation({ summary: 'Process a stored event again (idempotent)' })
  @ApiJson(WebhookEventResponse, 'The event, queued for processing again', 202)
  replay(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Param('eventId') eventId: string) {
    return this.ledger.replay(ctx, channelId, eventId);
  }
}
