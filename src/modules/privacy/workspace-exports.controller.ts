import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { ApiProblem } from '../../common/errors';
import { Audited } from '../audit';
import { WorkspaceExportView } from './dto/workspace-export.dto';
import { WorkspaceExportsService } from './workspace-exports.service';

@ApiTags('privacy')
@Controller('v1/workspaces/:wid/exports')
export class WorkspaceExportsController {
  constructor(private readonly exports: WorkspaceExportsService) {}

  @Post()
  @HttpCode(202)
  @RequirePermission('create', 'Export')
  @Audited('export.created', 'Export')
  @ApiOperation({ summary: 'Export the whole workspace: one NDJSON file per table in a tar.gz, built by a job', description: 'Secrets and key hashes are withheld; without `read ContactPii` the requester gets emails and phone numbers masked (`manifest.json` says `piiMasked`).' })
  @ApiAcceptedResponse({ type: WorkspaceExportView })
  create(@Ctx() ctx: RequestCtx) {
    return this.exports.create(ctx);
  }

  @Get(':exportId')
  @RequirePermission('read', 'Export')
  @ApiOperation({ summary: 'An export and its status' })
  @ApiOkResponse({ type: WorkspaceExportView })
  get(@Ctx() ctx: RequestCtx, @Param('exportId') exportId: string) {
    return this.exports.get(ctx, exportId);
  }

  @Get(':exportId/download')
  @RequirePermission('export', 'Export')
  @ApiOperation({ summary: 'The archive (owner and admin), for 7 days after completion' })
  @ApiOkResponse({ description: 'application/gzip tar archive', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblem('conflict', 'The export is not completed yet')
  download(@Ctx() ctx: RequestCtx, @Param('exportId') exportId: string) {
    return this.exports.download(ctx, exportId);
  }
}
