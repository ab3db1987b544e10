import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequirePermission, RequestCtx } from '../../common/authz';
import { AuditEventQuery } from './dto/audit-event-query.dto';
import { AuditService } from './audit.service';
import { ApiPage } from '../../common/openapi';
import { AuditEventResponse } from './dto/audit-event-response.dto';

@ApiTags('audit')
@Controller('v1/workspaces/:wid/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('read', 'AuditEvent')
  @ApiOperation({ summary: 'The append-only audit log, newest first (keyset-paginated)' })
  @ApiPage(AuditEventResponse, 'A page of audit events')
  list(@Ctx() ctx: RequestCtx, @Query() q: AuditEventQuery) {
    return this.audit.list(ctx, q);
  }
}
