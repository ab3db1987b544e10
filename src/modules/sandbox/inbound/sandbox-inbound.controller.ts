import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { isUuid, Public } from '../../../common/authz';
import { DomainError, NotFoundError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { ChannelsService } from '../../channels';
import { buildSignedInbound, InboundChannel, SignedWebhook } from './sandbox-inbound.builder';
import { SandboxInboundDto, SandboxStatusDto, SandboxWebhookResultDto } from './sandbox-inbound.dto';
import { buildSignedStatus, REPORTED_STATUSES } from './sandbox-status.builder';
import { SANDBOX_ONLY, SandboxDocs } from '../sandbox-docs';


const unusable = (field: string, message: string) => new DomainError('validation_failed', message, { errors: [{ field, message }] }, 422);

/**
 * Plays the provider's side of a connected channel: builds the webhook the provider would send,
 * signs it with the channel's real secret and posts it to the real webhook endpoint, so the whole
 * inbound path (verification, ledger, processing) runs without a provider account.
 */
@SandboxDocs()
@ApiBadRequestResponse({ description: '`validation_failed`' })
@Public()
@Controller('sandbox/channels')
export class SandboxInboundController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly config: AppConfig,
  ) {}

  @Post(':channelId/inbound')
  @HttpCode(200)
  @ApiOperation({ summary: 'A customer writes to the channel (signed provider webhook)', description: SANDBOX_ONLY })
  @ApiOkResponse({ type: SandboxWebhookResultDto, description: 'What the platform answered the signed webhook' })
  async inbound(@Param('channelId') channelId: string, @Body() dto: SandboxInboundDto) {
    return this.post(buildSignedInbound(await this.channel(channelId), dto));
  }

  @Post(':channelId/status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The provider reports a sent message delivered or read (signed status webhook)',
    description: `WhatsApp sends a \`statuses[]\` webhook, Postmark a \`Delivery\` event; a status the provider never reports (or an email status without \`recipient\`) answers 422 \`validation_failed\`. ${SANDBOX_ONLY}`,
  })
  @ApiOkResponse({ type: SandboxWebhookResultDto, description: 'What the platform answered the signed webhook' })
  @ApiUnprocessableEntityResponse({ description: '`validation_failed`: the channel\'s provider never reports this status' })
  async status(@Param('channelId') channelId: string, @Body() dto: SandboxStatusDto) {
    const channel = await this.channel(channelId);
    if (!REPORTED_STATUSES[channel.type].includes(dto.status)) throw unusable('status', `a ${channel.type} channel's provider never reports ${dto.status}`);
    if (channel.type === 'email' && !dto.recipient) throw unusable('recipient', "Postmark's Delivery event names the recipient: give the address the email went to");
    return this.post(buildSignedStatus(channel, dto));
  }

  private async channel(channelId: string): Promise<InboundChannel> {
    const channel = isUuid(channelId) ? await this.channels.findActive(channelId) : null;
    if (!channel) throw new NotFoundError('Channel');
    return { ...channel, secrets: this.channels.secretsOf(channel) };
  }

  private async post(webhook: SignedWebhook): Promise<SandboxWebhookResultDto> {
    const res = await fetch(`${this.config.env.PUBLIC_URL.replace(/\/+$/, '')}${webhook.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...webhook.headers },
      body: webhook.body,
    });
    return { webhookStatus: res.status, webhookResponse: await res.json().catch(() => null) };
  }
}
