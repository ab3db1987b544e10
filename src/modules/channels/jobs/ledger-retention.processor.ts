import { Process, Processor } from '@nestjs/bull';
import { JOBS, QUEUES } from '../../../common/queues';
import { LedgerMaintenanceService } from '../ledger/ledger-maintenance.service';

/** Daily: partitions ahead, 90-day retention behind. */
@Processor(QUEUES.maintenance)
export class LedgerRetentionProcessor {
  constructor(private readonly maintenance: LedgerMaintenanceService) {}

  @Process({ name: JOBS.maintenance.ledgerRetention, concurrency: 1 })
  retention() {
    return this.maintenance.retention();
  }
}
