import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ctx, CurrentPrincipal, type Principal, RequestCtx, RequirePermission } from '../../common/authz';
import { NotAudited } from '../audit';
import { EventsStreamQuery, StreamEventDto, StreamTokenDto } from './dto/stream-token.dto';
import { EventsStreamService } from './events-stream.service';
import { StreamTokensService } from './stream-tokens.service';

const VISIBILITY = 'Every built-in role may open it (`read Workspace`); each event is sent only if the caller may read its type (Message, Conversation, Contact, AiArtifact, PrivacyRequest).';

@ApiTags('events')
@ApiExtraModels(StreamEventDto)
@RequirePermission('read', 'Workspace')
@Controller('v1/workspaces/:wid/events')
export class EventsStreamController {
  constructor(
    private readonly stream: EventsStreamService,
    private readonly tokens: StreamTokensService,
  ) {}

  @Get('stream')
  @ApiSecurity('stream-token')
  @ApiOperation({
    summary: 'Server-Sent Events of the workspace’s domain events',
    description: `\`event:\` is the event name, \`id:\` its id, \`data:\` the JSON \`{id, event, createdAt, data}\`; comment heartbeats keep it open. Reconnect with \`Last-Event-ID\` to receive what was missed (the last 1,000 events or 1 h). ${VISIBILITY}`,
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string', description: `Frames whose data is ${getSchemaPath(StreamEventDto)}` } } } })
  open(@Ctx() ctx: RequestCtx, @Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: EventsStreamQuery) {
    return this.stream.open(ctx, req, reply, query);
  }

  @Post('stream-tokens')
  @HttpCode(201)
  @NotAudited()
  @ApiOperation({ summary: 'A 60-second `?token=` for EventSource clients, which cannot send headers', description: VISIBILITY })
  @ApiCreatedResponse({ type: StreamTokenDto })
  issueToken(@Ctx() ctx: RequestCtx, @CurrentPrincipal() principal: Principal) {
    return this.tokens.issue(ctx, principal);
  }
}
