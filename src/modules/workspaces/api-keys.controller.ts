import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { CreateApiKeyDto } from './dto/api-key.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiJson, ApiPage } from '../../common/openapi';
import { ApiKeyResponse, CreatedApiKeyResponse } from './dto/workspace-responses.dto';

@ApiTags('api-keys')
@Controller('v1/workspaces/:wid/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @RequirePermission('read', 'ApiKey')
  @ApiOperation({ summary: 'The workspace’s API keys (secrets are never shown again)' })
  @ApiPage(ApiKeyResponse, 'A page of API keys')
  list(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.keys.list(ctx, q);
  }

  @Post()
  @RequirePermission('create', 'ApiKey')
  @Audited('api_key.created', 'ApiKey')
  @ApiOperation({ summary: 'Create a key; `key` is shown once, only its hash is stored' })
  @ApiJson(CreatedApiKeyResponse, 'The key, with its secret this once', 201)
  create(@Ctx() ctx: RequestCtx, @Body() dto: CreateApiKeyDto) {
    return this.keys.create(ctx, dto);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @RequirePermission('delete', 'ApiKey')
  @Audited('api_key.revoked', 'ApiKey', 'keyId')
  @ApiOperation({ summary: 'Revoke; the key answers 401 from the next request' })
  @ApiNoContentResponse({ description: 'Done; no body' })
  async revoke(@Ctx() ctx: RequestCtx, @Param('keyId') keyId: string) {
    await this.keys.revoke(ctx, keyId);
  }
}
