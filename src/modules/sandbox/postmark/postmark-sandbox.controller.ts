import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../../common/authz';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SandboxExchange } from '../core/sandbox-exchange.service';
import { PostmarkSandboxService } from './postmark-sandbox.service';

/** Fake Postmark API: point POSTMARK_API_URL at `<host>/sandbox/postmark`. */
@ApiExcludeController()
@Public()
@Controller('sandbox/postmark')
export class PostmarkSandboxController {
  constructor(
    private readonly exchange: SandboxExchange,
    private readonly postmark: PostmarkSandboxService,
  ) {}

  @Post('email')
  email(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.exchange.handle('postmark', req, reply, (input) => this.postmark.sendEmail(input));
  }
}
