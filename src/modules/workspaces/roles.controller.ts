import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { ApiProblem } from '../../common/errors';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto';
import { RolesService } from './roles.service';

@ApiTags('roles')
@Controller('v1/workspaces/:wid/roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @RequirePermission('read', 'Role')
  list(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.roles.list(ctx, q);
  }

  @Post()
  @RequirePermission('create', 'Role')
  @Audited('role.created', 'Role')
  @ApiProblem('conflict', 'a role of that name exists, or the name is a built-in one')
  create(@Ctx() ctx: RequestCtx, @Body() dto: CreateRoleDto) {
    return this.roles.create(ctx, dto);
  }

  @Patch(':roleId')
  @RequirePermission('update', 'Role')
  @Audited('role.updated', 'Role', 'roleId')
  @ApiProblem('conflict', 'built-in roles cannot be edited, or the new name is taken')
  update(@Ctx() ctx: RequestCtx, @Param('roleId') roleId: string, @Body() dto: UpdateRoleDto) {
    return this.roles.update(ctx, roleId, dto);
  }

  @Delete(':roleId')
  @HttpCode(204)
  @RequirePermission('delete', 'Role')
  @Audited('role.deleted', 'Role', 'roleId')
  @ApiProblem('conflict', 'built-in roles cannot be deleted, nor a role in use by members or API keys')
  async remove(@Ctx() ctx: RequestCtx, @Param('roleId') roleId: string) {
    await this.roles.remove(ctx, roleId);
  }
}
