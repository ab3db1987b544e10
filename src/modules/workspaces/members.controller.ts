import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { ApiProblem } from '../../common/errors';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { InviteMemberDto, UpdateMemberDto } from './dto/member.dto';
import { MembersService } from './members.service';
import { ApiJson, ApiPage } from '../../common/openapi';
import { MemberResponse } from './dto/workspace-responses.dto';

@ApiTags('members')
@Controller('v1/workspaces/:wid/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @RequirePermission('read', 'Member')
  @ApiOperation({ summary: 'Members and pending invitations' })
  @ApiPage(MemberResponse, 'A page of members')
  list(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.members.list(ctx, q);
  }

  @Post()
  @RequirePermission('create', 'Member')
  @Audited('member.invited', 'Member')
  @ApiOperation({ summary: 'Invite by email; existing users join at once, others get an invitation token' })
  @ApiProblem('conflict', 'the email is already a member or invited')
  @ApiJson(MemberResponse, 'The member (`invited` with an `invitation` token for someone without an account)', 201)
  invite(@Ctx() ctx: RequestCtx, @Body() dto: InviteMemberDto) {
    return this.members.invite(ctx, dto);
  }

  @Patch(':memberId')
  @RequirePermission('update', 'Member')
  @Audited('member.role_changed', 'Member', 'memberId')
  @ApiProblem('conflict', 'the last owner cannot be demoted')
  @ApiOperation({ summary: 'Change a member’s role (never above the caller’s own)' })
  @ApiJson(MemberResponse, 'The member with the new role')
  changeRole(@Ctx() ctx: RequestCtx, @Param('memberId') memberId: string, @Body() dto: UpdateMemberDto) {
    return this.members.changeRole(ctx, memberId, dto.role);
  }

  @Delete(':memberId')
  @HttpCode(204)
  @RequirePermission('delete', 'Member')
  @Audited('member.removed', 'Member', 'memberId')
  @ApiProblem('conflict', 'the last owner cannot be removed')
  @ApiOperation({ summary: 'Remove a member or revoke an invitation' })
  @ApiNoContentResponse({ description: 'Done; no body' })
  async remove(@Ctx() ctx: RequestCtx, @Param('memberId') memberId: string) {
    await this.members.remove(ctx, memberId);
  }
}
