import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { SearchQuery } from './dto/search-query.dto';
import { SearchService } from './search.service';
import { ApiJson } from '../../common/openapi';
import { SearchPageResponse } from './dto/messaging-responses.dto';

@ApiTags('search')
@Controller('v1/workspaces/:wid/search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @RequirePermission('read', 'Conversation')
  @ApiOperation({ summary: 'Full-text search over messages and contacts, newest first; only the kinds the caller may read' })
  @ApiJson(SearchPageResponse, 'A page of hits, messages and contacts mixed')
  find(@Ctx() ctx: RequestCtx, @Query() q: SearchQuery) {
    return this.search.search(ctx, q);
  }
}
