import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUuid, Public } from '../../../common/authz';
import { NotFoundError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { ChannelsService } from '../../channels';
import { buildSignedInbound } from './sandbox-inbound.builder';
import { SandboxInboundDto } from './sandbox-inbound.dto';

/**
 * Simulates a customer writing to a connected channel: builds the provider's webhook, signs it
 * with the channel's real secret and posts it to the real webhook endpoint, so the whole inbound
 * path (verification, ledger, processing) runs without a provider account.
 */
@ApiExcludeController()
@Public()
@Controller('sandbox/channels')
export class SandboxInboundController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly config: AppConfig,
  ) {}

  @Post(':channelId/inbound')
  @HttpCode(200)
  async inbound(@Param('channelId') channelId: string, @Body() dto: SandboxInboundDto) {
    const channel = isUuid(channelId) ? await this.channels.findActive(channelId) : null;
    if (!channel) throw new NotFoundError('Channel');
    const webhook = buildSignedInbound({ ...channel, secrets: this.channels.secretsOf(channel) }, dto);
    const res = await fetch(`${this.config.env.PUBLIC_URL.replace(/\/+$/, '')}${webhook.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...webhook.headers },
      body: webhook.body,
    });
    return { webhookStatus: res.status, webhookResponse: await res.json().catch(() => null) };
  }
}
