import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { CreateTemplateDto } from './dto/template.dto';
import { TemplatesService } from './templates.service';

@ApiTags('channels')
@Controller('v1/workspaces/:wid/channels/:channelId/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @RequirePermission('read', 'Template')
  list(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string) {
    return this.templates.list(ctx, channelId);
  }

  @Post()
  @RequirePermission('create', 'Template')
  @ApiOperation({ summary: 'Record a WhatsApp template (e.g. one approved outside the Graph API)' })
  create(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Body() dto: CreateTemplateDto) {
    return this.templates.create(ctx, channelId, dto);
  }

  @Post('sync')
  @HttpCode(200)
  @RequirePermission('update', 'Template')
  @ApiOperation({ summary: "Pull the WhatsApp Business Account's templates from the Graph API" })
  sync(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string) {
    return this.templates.sync(ctx, channelId);
  }
}
