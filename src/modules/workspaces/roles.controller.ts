import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
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
  create(@Ctx() ctx: RequestCtx, @Body() dto: CreateRoleDto) {
    return this.roles.create(ctx, dto);
  }

  @Patch(':roleId')
  @RequirePermission('update', 'Role')
  @Audited('role.updated', 'Role', 'roleId')
  @ApiConflictResponse({ description: 'Built-in roles cannot be edited' })
  update(@Ctx() ctx: RequestCtx, @Param('roleId') roleId: string, @Body() dto: UpdateRoleDto) {
    return this.roles.update(ctx, roleId, dto);
  }

  @Delete(':roleId')
  @HttpCode(204)
  @RequirePermission('delete', 'Role')
  @Audited('role.deleted', 'Role', 'roleId')
  @ApiConflictResponse({ description: 'Built-in or in use' })
  async remove(@Ctx() ctx: RequestCtx, @Param('roleId') roleId: string) {
    await this.roles.remove(ctx, roleId);
  }
}
