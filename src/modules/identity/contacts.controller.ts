import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiBadRequestResponse, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestCtx, RequirePermission } from '../../common/authz';
import { PageQuery } from '../../common/pagination';
import { Audited } from '../audit';
import { ContactsService } from './contacts.service';
import { ContactQuery, CreateContactDto, IdentifierInputDto, UpdateContactDto } from './dto/contact.dto';
import { ApiJson, ApiPage } from '../../common/openapi';
import { ContactResponse, DuplicatePairResponse } from './dto/contact-responses.dto';

@ApiTags('contacts')
@Controller('v1/workspaces/:wid/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @RequirePermission('read', 'Contact')
  @ApiOperation({ summary: 'Contacts newest first; `query` matches a name or identifier fragment. Emails and phones are masked without `read ContactPii`' })
  @ApiPage(ContactResponse, 'A page of contacts')
  list(@Ctx() ctx: RequestCtx, @Query() q: ContactQuery) {
    return this.contacts.list(ctx, q);
  }

  @Post()
  @RequirePermission('create', 'Contact')
  @Audited('contact.created', 'Contact')
  @ApiOperation({ summary: 'Create a contact; identifier values are normalized (emails lower-cased, phones E.164)' })
  @ApiBadRequestResponse({ description: 'An identifier value is invalid (`field` names it, e.g. `identifiers[0].value`)' })
  @ApiConflictResponse({ description: 'An identifier already belongs to another contact' })
  @ApiJson(ContactResponse, 'The contact', 201)
  create(@Ctx() ctx: RequestCtx, @Body() dto: CreateContactDto) {
    return this.contacts.create(ctx, dto);
  }

  @Get('duplicates')
  @RequirePermission('read', 'Contact')
  @ApiOperation({ summary: 'Suggested duplicate pairs `{contactIds, reason}` from weak signals; nothing is merged' })
  @ApiPage(DuplicatePairResponse, 'A page of suggested pairs')
  duplicates(@Ctx() ctx: RequestCtx, @Query() q: PageQuery) {
    return this.contacts.duplicates(ctx, q);
  }

  @Get(':contactId')
  @RequirePermission('read', 'Contact')
  @ApiOperation({ summary: 'A contact; a merged-away id answers 404 with `mergedInto`' })
  @ApiJson(ContactResponse, 'The contact')
  get(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string) {
    return this.contacts.get(ctx, contactId);
  }

  @Patch(':contactId')
  @RequirePermission('update', 'Contact')
  @Audited('contact.updated', 'Contact', 'contactId')
  @ApiOperation({ summary: 'Correct the name or restrict processing' })
  @ApiJson(ContactResponse, 'The contact')
  update(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Body() dto: UpdateContactDto) {
    return this.contacts.update(ctx, contactId, dto);
  }

  @Post(':contactId/identifiers')
  @RequirePermission('update', 'Contact')
  @Audited('contact.identifier_added', 'Contact', 'contactId')
  @ApiOperation({ summary: 'Add an identifier; answers the contact' })
  @ApiConflictResponse({ description: 'The identifier belongs to another contact' })
  @ApiJson(ContactResponse, 'The contact with the new identifier', 201)
  addIdentifier(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Body() dto: IdentifierInputDto) {
    return this.contacts.addIdentifier(ctx, contactId, dto);
  }

  @Delete(':contactId/identifiers/:identifierId')
  @HttpCode(204)
  @RequirePermission('update', 'Contact')
  @Audited('contact.identifier_removed', 'Contact', 'contactId')
  @ApiOperation({ summary: 'Remove an identifier from the contact' })
  @ApiNoContentResponse({ description: 'Done; no body' })
  async removeIdentifier(@Ctx() ctx: RequestCtx, @Param('contactId') contactId: string, @Param('identifierId') identifierId: string) {
    await this.contacts.removeIdentifier(ctx, contactId, identifierId);
  }
}
