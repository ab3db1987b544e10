import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { ApiProblem } from '../../common/errors';
import { Audited } from '../audit';
import { CreatePrivacyRequestDto, PrivacyRequestView } from './dto/privacy-request.dto';
import { PrivacyRequestsService } from './privacy-requests.service';

@ApiTags('privacy')
@Controller('v1/workspaces/:wid')
export class PrivacyRequestsController {
  constructor(private readonly requests: PrivacyRequestsService) {}

  @Post('privacy-requests')
  @HttpCode(202)
  @RequirePermission('create', 'PrivacyRequest')
  @Audited('privacy.request_created', 'PrivacyRequest')
  @ApiOperation({
    summary: 'Ask for access, erasure, restriction or unrestriction of a contact\'s data; runs as a job',
    description: 'Besides `create PrivacyRequest`: `erase Contact` for erasure, `export Contact` for access, `update Contact` for (un)restriction. A second erasure of the same contact and scope answers the first request.',
  })
  @ApiAcceptedResponse({ type: PrivacyRequestView, description: 'The request, `status: "pending"` (or the earlier erasure of this contact)' })
  create(@Ctx() ctx: RequestCtx, @Body() dto: CreatePrivacyRequestDto) {
    return this.requests.create(ctx, dto);
  }

  @Delete('contacts/:contactId')
  @HttpCode(202)
  @RequirePermission('erase', 'Contact')
  @Audited('privacy.request_created', 'PrivacyRequest')
  @ApiOperation({ summary: 'Erase a contact: the same as an `erasure` privacy request for it' })
  @ApiAcceptedResponse({ type: PrivacyRequestView })
  erase(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string) {
    return this.requests.create(ctx, { type: 'erasure', contactId });
  }

  @Get('privacy-requests/:requestId')
  @RequirePermission('read', 'PrivacyRequest')
  @ApiOperation({ summary: 'A privacy request and its status' })
  @ApiOkResponse({ type: PrivacyRequestView })
  get(@Ctx() ctx: RequestCtx, @Param('requestId') requestId: string) {
    return this.requests.get(ctx, requestId);
  }

  @Get('privacy-requests/:requestId/download')
  @RequirePermission('export', 'Contact')
  @ApiOperation({ summary: 'An access request\'s document: the contact, identifiers, conversations, messages (with attachment links), consents, AI artifacts, merges and raw webhook payloads that mention them' })
  @ApiOkResponse({ description: 'The JSON document, for 7 days after completion', content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } })
  @ApiProblem('conflict', 'Not an access request, or not completed yet')
  download(@Ctx() ctx: RequestCtx, @Param('requestId') requestId: string) {
    return this.requests.download(ctx, requestId);
  }
}
