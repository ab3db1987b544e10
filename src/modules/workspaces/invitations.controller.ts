import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../../common/errors';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/authz';
import { AccessTokenReader } from './auth/access-token.reader';
import { AcceptInvitationDto } from './dto/member.dto';
import { InvitationsService } from './invitations.service';
import { ApiJson } from '../../common/openapi';
import { InvitationJoinedResponse, InvitationSignupResponse } from './dto/workspace-responses.dto';

@ApiTags('members')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly accessTokens: AccessTokenReader,
  ) {}

  @Post(':token/accept')
  @Public('the invitation token in the path; a signed-in person with the invited email adds their Bearer token')
  @ApiOperation({
    summary: 'Accept an invitation: a new person sends {name, password} (201); a signed-in person with the invited email sends {} (200)',
  })
  @ApiProblem('not_found', 'no pending invitation has this token (unknown, expired, revoked or already accepted)')
  @ApiJson(InvitationSignupResponse, 'A new account was created and joined the workspace', 201)
  @ApiJson(InvitationJoinedResponse, 'The signed-in person joined the workspace')
  async accept(
    @Param('token') token: string,
    @Body() dto: AcceptInvitationDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const userId = await this.accessTokens.userIdFrom(authorization);
    const result = await this.invitations.accept(token, dto, userId);
    reply.status(result.created ? 201 : 200);
    return result.body;
  }
}
