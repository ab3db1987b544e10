import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequirePermission, RequestCtx } from '../../common/authz';
import { AuditEventQuery } from './dto/audit-event-query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('v1/workspaces/:wid/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('read', 'AuditEvent')
  @ApiOperation({ summary: 'The append-only audit log, newest first (keyset-paginated)' })
  list(@Ctx() ctx: RequestCtx, @Query() q: AuditEventQuery) {
    return this.audit.list(ctx, q);
  }
}
