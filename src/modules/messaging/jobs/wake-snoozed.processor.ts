import { Process, Processor } from '@nestjs/bull';
import { JOBS, QUEUES } from '../../../common/queues';
import { ConversationsMaintenanceService } from '../conversations-maintenance.service';

/** Every 30 s: snoozed conversations whose time has come are open again. */
@Processor(QUEUES.maintenance)
export class WakeSnoozedProcessor {
  constructor(private readonly maintenance: ConversationsMaintenanceService) {}

  @Process({ name: JOBS.maintenance.wakeSnoozed, concurrency: 1 })
  wake() {
    return this.maintenance.wakeSnoozed();
  }
}
