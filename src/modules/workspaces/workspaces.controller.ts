import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowClosedWorkspace, Ctx, CurrentPrincipal, Principal, RequestCtx, RequirePermission, RequirePerson } from '../../common/authz';
import { ForbiddenError } from '../../common/errors';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { CreateWorkspaceDto, MyWorkspacesPageDto, UpdateWorkspaceDto } from './dto/workspace.dto';
import { WorkspacesService } from './workspaces.service';
import { ApiJson } from '../../common/openapi';
import { WorkspaceClosingResponse, WorkspaceResponse } from './dto/workspace-responses.dto';

@ApiTags('workspaces')
@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post()
  @RequirePerson()
  @ApiOperation({ summary: 'Create a workspace; the creator becomes its owner' })
  @ApiJson(WorkspaceResponse, 'The new workspace', 201)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWorkspaceDto) {
    if (principal.type !== 'user') throw new ForbiddenError('Only people can create workspaces.');
    return this.workspaces.create(principal.id, dto.name);
  }

  @Get()
  @RequirePerson()
  @ApiOperation({ summary: "The caller's workspaces with their role in each (after login, take `{wid}` from here)" })
  @ApiOkResponse({ type: MyWorkspacesPageDto })
  listMine(@CurrentPrincipal() principal: Principal, @Query() q: PageQuery) {
    return this.workspaces.listMine(principal, q);
  }

  @Get(':wid')
  @RequirePermission('read', 'Workspace')
  @AllowClosedWorkspace()
  @ApiOperation({ summary: 'The workspace, also while it is closing' })
  @ApiJson(WorkspaceResponse, 'The workspace')
  get(@Ctx() ctx: RequestCtx) {
    return this.workspaces.get(ctx);
  }

  @Patch(':wid')
  @RequirePermission('update', 'Workspace')
  @Audited('workspace.updated', 'Workspace', 'wid')
  @ApiOperation({ summary: 'Change name, business details or settings' })
  @ApiJson(WorkspaceResponse, 'The workspace')
  update(@Ctx() ctx: RequestCtx, @Body() dto: UpdateWorkspaceDto) {
    return this.workspaces.update(ctx, dto);
  }

  @Delete(':wid')
  @HttpCode(202)
  @RequirePermission('delete', 'Workspace')
  @Audited('workspace.closed', 'Workspace', 'wid')
  @ApiOperation({ summary: 'Close the workspace (owner only); it can be restored for 30 days' })
  @ApiJson(WorkspaceClosingResponse, 'Closing; deleted at `deletionDueAt` unless restored', 202)
  close(@Ctx() ctx: RequestCtx) {
    return this.workspaces.close(ctx);
  }

  @Post(':wid/restore')
  @HttpCode(200)
  @RequirePermission('delete', 'Workspace')
  @AllowClosedWorkspace()
  @Audited('workspace.restored', 'Workspace', 'wid')
  @ApiConflictResponse({ description: 'Not closing, or past the deletion date' })
  @ApiJson(WorkspaceResponse, 'The restored, active workspace')
  @ApiOperation({ summary: 'Restore a closing workspace before its deletion date' })
  restore(@Ctx() ctx: RequestCtx) {
    return this.workspaces.restore(ctx);
  }
}
