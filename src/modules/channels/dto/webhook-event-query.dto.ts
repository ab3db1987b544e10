import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../../common/pagination';
import type { LedgerStatus } from '../ledger/ledger.repository';

export const LEDGER_STATUSES = ['pending', 'processed', 'ignored', 'failed'] as const;

export class WebhookEventQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LEDGER_STATUSES })
  @IsOptional() @IsIn(LEDGER_STATUSES as unknown as string[])
  status?: LedgerStatus;
}
