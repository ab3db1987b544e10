import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { ContactMergesService } from './contact-merges.service';
import { MergeContactDto } from './dto/merge.dto';
import { ApiJson, ApiPage } from '../../common/openapi';
import { ContactMergeResponse, ContactResponse } from './dto/contact-responses.dto';

@ApiTags('contacts')
@Controller('v1/workspaces/:wid/contacts/:contactId')
export class ContactMergesController {
  constructor(private readonly merges: ContactMergesService) {}

  @Post('merge')
  @HttpCode(200)
  @RequirePermission('update', 'Contact')
  @Audited('contact.merged', 'Contact', 'contactId')
  @ApiOperation({ summary: 'Merge another contact into this one: its identifiers, consents and conversations move here' })
  @ApiJson(ContactResponse, 'The surviving contact')
  merge(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Body() dto: MergeContactDto) {
    return this.merges.merge(ctx, contactId, dto.sourceContactId);
  }

  @Get('merges')
  @RequirePermission('read', 'Contact')
  @ApiOperation({ summary: 'The merge journal of this contact (as target or source), newest first' })
  @ApiPage(ContactMergeResponse, 'A page of merges')
  journal(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Query() q: PageQuery) {
    return this.merges.journal(ctx, contactId, q);
  }

  @Post('merges/:mergeId/undo')
  @HttpCode(200)
  @RequirePermission('update', 'Contact')
  @Audited('contact.merge_undone', 'Contact', 'contactId')
  @ApiOperation({ summary: 'Split the source contact back out with exactly what the merge moved; a later merge of the surviving contact must be undone first' })
  @ApiConflictResponse({ description: 'Already undone' })
  @ApiJson(ContactMergeResponse, 'The merge, now undone')
  undo(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Param('mergeId') mergeId: string) {
    return this.merges.undo(ctx, contactId, mergeId);
  }
}
