import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../../common/authz';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SandboxExchange } from '../core/sandbox-exchange.service';
import { GraphSandboxService } from './graph-sandbox.service';

/**
 * Fake Graph (WhatsApp Cloud) API: point WHATSAPP_API_URL at `<host>/sandbox/graph` (a
 * `/v21.0`-style suffix is accepted). Routes with a static last segment (`messages`, `media`,
 * `message_templates`) and the static `download/` prefix win over the bare `:mediaId` lookups,
 * because the router prefers static segments to parameters at the same depth. The phone number
 * and WABA ids are not read: the sandbox keeps one state for all accounts.
 */
@ApiExcludeController()
@Public()
@Controller('sandbox/graph')
export class GraphSandboxController {
  constructor(
    private readonly exchange: SandboxExchange,
    private readonly graph: GraphSandboxService,
  ) {}

  @Get('download/:mediaId')
  download(@Param('mediaId') mediaId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.exchange.handle('whatsapp', req, reply, (input) => this.graph.download(input, mediaId));
  }

  @Post([':phoneNumberId/messages', ':version/:phoneNumberId/messages'])
  messages(@Param('version') version: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.exchange.handle('whatsapp', req, reply, (input) => this.graph.sendMessage(input, version));
  }

  @Post([':phoneNumberId/media', ':version/:phoneNumberId/media'])
  upload(@Param('version') version: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.exchange.handle('whatsapp', req, reply, (input) => this.graph.uploadMedia(input, version));
  }

  @Get([':wabaId/message_templates', ':version/:wabaId/message_templates'])
  templates(@Param('version') version: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.exchange.handle('whatsapp', req, reply, (input) => this.graph.listTemplates(input, version));
  }

  @Post([':wabaId/message_templates', ':version/:wabaId/message_templates'])
  createTemplate(@Param('version') version: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.exchange.handle('whatsapp', req, reply, (input) => this.graph.createTemplate(input, version));
  }

  @Get([':mediaId', ':version/:mediaId'])
  media(
    @Param('mediaId') mediaId: string,
    @Param('version') version: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.exchange.handle('whatsapp', req, reply, (input) => this.graph.mediaInfo(input, mediaId, version));
  }
}
