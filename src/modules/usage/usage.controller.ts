import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { UsageEventAcceptedView, UsageEventDto, UsageQuery, UsageView } from './dto/usage.dto';
import { UsageService } from './usage.service';

@ApiTags('usage')
@Controller('v1/workspaces/:wid/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @RequirePermission('read', 'Usage')
  @ApiOperation({ summary: 'Daily usage: messages in/out per channel type, delivery failures, AI requests and draft outcomes, API calls, active members' })
  @ApiOkResponse({ type: UsageView })
  daily(@Ctx() ctx: RequestCtx, @Query() q: UsageQuery) {
    return this.usage.daily(ctx, q);
  }

  // Any member who may see usage may report their own client's page views and feature use.
  @Post('events')
  @HttpCode(202)
  @RequirePermission('read', 'Usage')
  @ApiOperation({ summary: 'Record a client event (page view, feature use); buffered and written in batches' })
  @ApiAcceptedResponse({ type: UsageEventAcceptedView })
  event(@Ctx() ctx: RequestCtx, @Body() dto: UsageEventDto) {
    return this.usage.recordEvent(ctx, dto);
  }
}
