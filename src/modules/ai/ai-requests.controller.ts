import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { AiArtifactsService } from './ai-artifacts.service';
import { ApiAiRefusals } from './ai-docs';
import { CreateDraftDto } from './dto/ai-request.dto';
import { AiArtifactDto } from './dto/ai-response.dto';

@ApiTags('ai')
@Controller('v1/workspaces/:wid/conversations/:conversationId')
export class AiRequestsController {
  constructor(private readonly artifacts: AiArtifactsService) {}

  @Post('summaries')
  @HttpCode(202)
  @RequirePermission('create', 'AiArtifact')
  @ApiOperation({ summary: 'Ask for a summary of the conversation (202 `pending`; a job fills it, citing the messages it used in `sources`)' })
  @ApiAcceptedResponse({ type: AiArtifactDto })
  @ApiAiRefusals()
  summarize(@Ctx() ctx: RequestCtx, @Param('conversationId') conversationId: string) {
    return this.artifacts.request(ctx, conversationId, 'summary');
  }

  @Post('drafts')
  @HttpCode(202)
  @RequirePermission('create', 'AiArtifact')
  @ApiOperation({ summary: 'Ask for a draft reply (202 `pending`); nothing is sent until a person approves it' })
  @ApiAcceptedResponse({ type: AiArtifactDto })
  @ApiAiRefusals()
  draft(@Ctx() ctx: RequestCtx, @Param('conversationId') conversationId: string, @Body() dto: CreateDraftDto) {
    return this.artifacts.request(ctx, conversationId, 'draft', dto.instructions);
  }
}
