import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { ConsentsService } from './consents.service';
import { RecordConsentDto } from './dto/consent.dto';
import { ApiJson, ApiPage } from '../../common/openapi';
import { ConsentResponse, CurrentConsents } from './dto/contact-responses.dto';

@ApiTags('contacts')
@Controller('v1/workspaces/:wid/contacts/:contactId/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @RequirePermission('read', 'Consent')
  @ApiOperation({ summary: 'The consent history newest first, and `current`: the entry in force per channel' })
  @ApiPage(ConsentResponse, 'A page of the history and the entries in force', { current: { $ref: getSchemaPath(CurrentConsents) } })
  @ApiExtraModels(CurrentConsents)
  history(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Query() q: PageQuery) {
    return this.consents.history(ctx, contactId, q);
  }

  @Post()
  @RequirePermission('create', 'Consent')
  @Audited('consent.changed', 'Contact', 'contactId')
  @ApiOperation({ summary: 'Append an opt-in or opt-out; entries are never changed, the newest wins' })
  @ApiJson(ConsentResponse, 'The new entry', 201)
  record(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Body() dto: RecordConsentDto) {
    return this.consents.record(ctx, contactId, dto);
  }
}
