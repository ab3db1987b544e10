import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { ApiProblem } from '../../common/errors';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto';
import { RolesService } from './roles.service';
import { ApiJson, ApiPage } from '../../common/openapi';
import { RoleResponse } from './dto/workspace-responses.dto';

@ApiTags('roles')
@Controller('v1/workspaces/:wid/roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @RequirePermission('read', 'Role')
  @ApiOperation({ summary: 'Built-in and custom roles with their permission rules' })
  @ApiPage(RoleResponse, 'A page of roles')
  list(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.roles.list(ctx, q);
  }

  @Post()
  @RequirePermission('create', 'Role')
  @Audited('role.created', 'Role')
  @ApiProblem('conflict', 'a role of that name exists, or the name is a built-in one')
  @ApiOperation({ summary: 'Create a custom role (it cannot grant more than the caller has)' })
  @ApiJson(RoleResponse, 'The new role', 201)
  create(@Ctx() ctx: RequestCtx, @Body() dto: CreateRoleDto) {
    return this.roles.create(ctx, dto);
  }

  @Patch(':roleId')
  @RequirePermission('update', 'Role')
  @Audited('role.updated', 'Role', 'roleId')
  @ApiProblem('conflict', 'built-in roles cannot be edited, or the new name is taken')
  @ApiOperation({ summary: 'Rename a custom role or replace its permissions' })
  @ApiJson(RoleResponse, 'The role')
  update(@Ctx() ctx: RequestCtx, @Param('roleId') roleId: string, @Body() dto: UpdateRoleDto) {
    return this.roles.update(ctx, roleId, dto);
  }

  @Delete(':roleId')
  @HttpCode(204)
  @RequirePermission('delete', 'Role')
  @Audited('role.deleted', 'Role', 'roleId')
  @ApiProblem('conflict', 'built-in roles cannot be deleted, nor a role in use by members or API keys')
  @ApiOperation({ summary: 'Delete a custom role nobody holds' })
  @ApiNoContentResponse({ description: 'Done; no body' })
  async remove(@Ctx() ctx: RequestCtx, @Param('roleId') roleId: string) {
    await this.roles.remove(ctx, roleId);
  }
}
