import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { CreateTemplateDto, UpdateTemplateDto } from './dto/template.dto';
import { TemplatesService } from './templates.service';
import { ApiJson, ApiPage } from '../../common/openapi';
import { TemplateResponse, TemplateSyncResponse } from './dto/channel-responses.dto';

@ApiTags('channels')
@Controller('v1/workspaces/:wid/channels/:channelId/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @RequirePermission('read', 'Template')
  @ApiOperation({ summary: 'The WhatsApp templates recorded for this channel' })
  @ApiPage(TemplateResponse, 'A page of templates')
  list(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Query() q: PageQuery) {
    return this.templates.list(ctx, channelId, q);
  }

  @Post()
  @RequirePermission('create', 'Template')
  @ApiOperation({ summary: 'Record a WhatsApp template (e.g. one approved outside the Graph API)' })
  @ApiJson(TemplateResponse, 'The template', 201)
  create(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Body() dto: CreateTemplateDto) {
    return this.templates.create(ctx, channelId, dto);
  }

  @Post('sync')
  @HttpCode(200)
  @RequirePermission('update', 'Template')
  @ApiOperation({
    summary: "Pull the WhatsApp Business Account's templates from the Graph API",
    description:
      'Stores every template of the account with the status Meta reports (approved, pending, rejected, paused, disabled); ' +
      'sends accept only approved ones, so a template Meta pauses or disables stops being sendable after the next sync. ' +
      'Templates recorded here but unknown to Meta are kept.',
  })
  @ApiJson(TemplateSyncResponse, 'The templates after the sync')
  sync(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string) {
    return this.templates.sync(ctx, channelId);
  }

  @Get(':templateId')
  @RequirePermission('read', 'Template')
  @ApiOperation({ summary: 'A template' })
  @ApiJson(TemplateResponse, 'The template')
  get(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Param('templateId') templateId: string) {
    return this.templates.get(ctx, channelId, templateId);
  }

  @Patch(':templateId')
  @RequirePermission('update', 'Template')
  @ApiOperation({ summary: 'Change category, components or status (name and language identify the template at Meta)' })
  @ApiJson(TemplateResponse, 'The template')
  update(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Param('templateId') templateId: string, @Body() dto: UpdateTemplateDto) {
    return this.templates.update(ctx, channelId, templateId, dto);
  }

  @Delete(':templateId')
  @HttpCode(204)
  @RequirePermission('delete', 'Template')
  @ApiOperation({ summary: 'Forget a template locally (it stays at Meta; a sync brings it back)' })
  @ApiNoContentResponse({ description: 'Done; no body' })
  async remove(@Ctx() ctx: RequestCtx, @Param('channelId') channelId: string, @Param('templateId') templateId: string) {
    await this.templates.remove(ctx, channelId, templateId);
  }
}
