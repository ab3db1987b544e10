import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/authz';
import { AccessTokenReader } from './auth/access-token.reader';
import { AcceptInvitationDto } from './dto/member.dto';
import { InvitationsService } from './invitations.service';

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
