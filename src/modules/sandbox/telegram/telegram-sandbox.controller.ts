import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../../common/authz';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SandboxExchange } from '../core/sandbox-exchange.service';
import { redactTelegramPath } from './telegram-path';
import { TelegramSandboxService } from './telegram-sandbox.service';

/**
 * Fake Telegram Bot API: point TELEGRAM_API_URL at `<host>/sandbox/telegram`. One wildcard
 * route, because `bot<token>` is a prefix inside a segment; telegram-path.ts splits it.
 */
@ApiExcludeController()
@Public()
@Controller('sandbox/telegram')
export class TelegramSandboxController {
  constructor(
    private readonly exchange: SandboxExchange,
    private readonly telegram: TelegramSandboxService,
  ) {}

  @All('*')
  call(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.exchange.handle('telegram', req, reply, (input) => this.telegram.handle(input), redactTelegramPath);
  }
}
