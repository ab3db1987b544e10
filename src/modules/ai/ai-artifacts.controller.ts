import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { ApiProblem, SEND_REFUSALS } from '../../common/errors';
import { Audited } from '../audit';
import { AiArtifactsService } from './ai-artifacts.service';
import { ApiAiRefusals } from './ai-docs';
import { ApproveDraftDto, ArtifactQuery, UpdateArtifactDto } from './dto/ai-request.dto';
import { AiArtifactDto, AiArtifactPageDto, ApprovedMessageDto } from './dto/ai-response.dto';

@ApiTags('ai')
@Controller('v1/workspaces/:wid/ai/artifacts')
export class AiArtifactsController {
  constructor(private readonly artifacts: AiArtifactsService) {}

  @Get()
  @RequirePermission('read', 'AiArtifact')
  @ApiOperation({ summary: 'Summaries and drafts, newest first (keyset-paginated); filter by conversation, kind, status' })
  @ApiOkResponse({ type: AiArtifactPageDto })
  list(@Ctx() ctx: RequestCtx, @Query() q: ArtifactQuery) {
    return this.artifacts.list(ctx, q);
  }

  @Get(':artifactId')
  @RequirePermission('read', 'AiArtifact')
  @ApiOperation({ summary: 'One summary or draft with its status, text, sources, edit history, provider and model' })
  @ApiOkResponse({ type: AiArtifactDto })
  get(@Ctx() ctx: RequestCtx, @Param('artifactId') artifactId: string) {
    return this.artifacts.get(ctx, artifactId);
  }

  @Patch(':artifactId')
  @RequirePermission('update', 'AiArtifact')
  @Audited('ai.draft_edited', 'AiArtifact', 'artifactId')
  @ApiOperation({ summary: 'Edit a ready draft’s `content` (every version stays in `history`); 409 `conflict` for summaries and drafts not ready' })
  @ApiOkResponse({ type: AiArtifactDto })
  @ApiProblem('conflict', 'a summary, or a draft that is not `ready`')
  edit(@Ctx() ctx: RequestCtx, @Param('artifactId') artifactId: string, @Body() dto: UpdateArtifactDto) {
    return this.artifacts.edit(ctx, artifactId, dto);
  }

  @Post(':artifactId/approve')
  @HttpCode(202)
  @RequirePermission('approve', 'AiArtifact')
  @Audited('ai.draft_approved', 'AiArtifact', 'artifactId')
  @ApiOperation({
    summary:
      'Send a ready draft’s current text through the send policy (202 the `queued` message, `aiAssisted: true`, approver recorded); at most once. The sender also needs `send Message`.',
  })
  @ApiAcceptedResponse({ type: ApprovedMessageDto })
  @ApiAiRefusals('a summary, or a draft that is not `ready` (pending, approved, discarded), or approved by a concurrent call')
  @ApiProblem(SEND_REFUSALS, 'the send policy refused the message; nothing was sent and the draft stays `ready`')
  approve(@Ctx() ctx: RequestCtx, @Param('artifactId') artifactId: string, @Body() dto: ApproveDraftDto) {
    return this.artifacts.approve(ctx, artifactId, dto);
  }

  @Post(':artifactId/discard')
  @HttpCode(200)
  @RequirePermission('update', 'AiArtifact')
  @Audited('ai.draft_discarded', 'AiArtifact', 'artifactId')
  @ApiOperation({ summary: 'Discard a pending or ready draft (counted in usage as discarded)' })
  @ApiOkResponse({ type: AiArtifactDto })
  @ApiProblem('conflict', 'a summary, or a draft already approved or discarded')
  discard(@Ctx() ctx: RequestCtx, @Param('artifactId') artifactId: string) {
    return this.artifacts.discard(ctx, artifactId);
  }
}
