import { Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { isUuid, Public } from '../../common/authz';
import { ApiProblem, DomainError } from '../../common/errors';
import { ChannelsService } from './channels.service';
import { WebhookIngestService } from './webhook-ingest.service';
import { safeEqual } from './adapters/adapter-utils';
import { WhatsappVerifyQuery } from './dto/whatsapp-verify-query.dto';
import { ApiJson } from '../../common/openapi';
import { WebhookAckResponse } from './dto/channel-responses.dto';

type RawRequest = FastifyRequest & { rawBody?: Buffer };

const incoming = (req: RawRequest) => ({ headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) });

/**
 * Provider webhooks: no JWT, each authenticated by its channel's own secret. Answers 200 only after
 * the raw payload is stored; malformed or unknown payloads from a verified sender are stored as
 * `ignored` and still acknowledged so the provider does not retry forever.
 */
@ApiTags('provider webhooks')
@ApiProblem('invalid_signature', 'bad or missing credentials/signature')
@Controller('v1/webhooks')
@Public("the channel's own provider scheme: Postmark HTTP Basic, WhatsApp X-Hub-Signature-256 (app secret) or verify token, Telegram X-Telegram-Bot-Api-Secret-Token")
export class WebhooksController {
  constructor(
    private readonly ingest: WebhookIngestService,
    private readonly channels: ChannelsService,
  ) {}

  @Post('postmark/:channelId/inbound')
  @HttpCode(200)
  @ApiOperation({ summary: 'Postmark inbound email (HTTP Basic credentials from the channel)' })
  @ApiJson(WebhookAckResponse, 'Stored (or recognised as a duplicate); processing happens later')
  postmarkInbound(@Param('channelId') channelId: string, @Req() req: RawRequest) {
    return this.ingest.ingest('email', channelId, 'inbound', incoming(req));
  }

  @Post('postmark/:channelId/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Postmark Delivery, Bounce, SpamComplaint, SubscriptionChange, Open events' })
  @ApiJson(WebhookAckResponse, 'Stored (or recognised as a duplicate); processing happens later')
  postmarkEvents(@Param('channelId') channelId: string, @Req() req: RawRequest) {
    return this.ingest.ingest('email', channelId, 'events', incoming(req));
  }

  /** Meta's subscription handshake: echo hub.challenge when the verify token matches. */
  @Get('whatsapp/:channelId')
  @ApiOperation({ summary: 'WhatsApp webhook verification (hub.mode, hub.verify_token, hub.challenge)' })
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProblem('forbidden', 'hub.mode is not `subscribe`, the verify token does not match the channel’s, or hub.challenge is missing')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The `hub.challenge` echoed back', content: { 'text/plain': { schema: { type: 'string', example: '1158201444' } } } })
  async whatsappVerify(@Param('channelId') channelId: string, @Query() q: WhatsappVerifyQuery) {
    const channel = isUuid(channelId) ? await this.channels.findActive(channelId) : null;
    const expected = channel?.type === 'whatsapp' ? this.channels.secretsOf(channel).verifyToken : undefined;
    if (q['hub.mode'] !== 'subscribe' || !safeEqual(q['hub.verify_token'], expected) || !q['hub.challenge']) {
      throw new DomainError('forbidden', 'The verify token does not match.');
    }
    return q['hub.challenge'];
  }

  @Post('whatsapp/:channelId')
  @HttpCode(200)
  @ApiOperation({ summary: 'WhatsApp Cloud API notifications (X-Hub-Signature-256 over the raw body)' })
  @ApiJson(WebhookAckResponse, 'Stored (or recognised as a duplicate); processing happens later')
  whatsapp(@Param('channelId') channelId: string, @Req() req: RawRequest) {
    return this.ingest.ingest('whatsapp', channelId, 'default', incoming(req));
  }

  @Post('telegram/:channelId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Telegram updates (X-Telegram-Bot-Api-Secret-Token)' })
  @ApiJson(WebhookAckResponse, 'Stored (or recognised as a duplicate); processing happens later')
  telegram(@Param('channelId') channelId: string, @Req() req: RawRequest) {
    return this.ingest.ingest('telegram', channelId, 'default', incoming(req));
  }
}
