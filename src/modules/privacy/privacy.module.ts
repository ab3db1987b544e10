import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { apiOnly, QUEUES, workerOnly } from '../../common/queues';
import { IdentityModule } from '../identity';
import { WorkspacesModule } from '../workspaces';
import { PrivacyRequest } from './entities/privacy-request.entity';
import { WorkspaceExport } from './entities/workspace-export.entity';
import { PrivacyMaintenanceProcessor } from './jobs/privacy-maintenance.processor';
import { PrivacyProcessor } from './jobs/privacy.processor';
import { PrivacyJobsService } from './privacy-jobs.service';
import { PrivacyRequestsController } from './privacy-requests.controller';
import { PrivacyRequestsService } from './privacy-requests.service';
import { PRIVACY_JOBS, PRIVACY_RETENTION, WORKSPACE_PURGE } from './privacy.tokens';
import { RetentionService } from './retention/retention.service';
import { WorkspacePurgeService } from './retention/workspace-purge.service';
import { WorkspaceExportsController } from './workspace-exports.controller';
import { WorkspaceExportsService } from './workspace-exports.service';

/** Data subjects' rights, workspace exports and closure, retention sweeps. */
@Module({
  imports: [
    MikroOrmModule.forFeature([PrivacyRequest, WorkspaceExport]),
    BullModule.registerQueue({ name: QUEUES.privacy }, { name: QUEUES.maintenance }),
    IdentityModule,
    WorkspacesModule,
  ],
  controllers: apiOnly(PrivacyRequestsController, WorkspaceExportsController),
  providers: [
    PrivacyRequestsService,
    WorkspaceExportsService,
    PrivacyJobsService,
    RetentionService,
    WorkspacePurgeService,
    ...workerOnly(PrivacyProcessor, PrivacyMaintenanceProcessor),
    { provide: PRIVACY_RETENTION, useExisting: RetentionService },
    { provide: WORKSPACE_PURGE, useExisting: WorkspacePurgeService },
    { provide: PRIVACY_JOBS, useExisting: PrivacyJobsService },
  ],
})
export class PrivacyModule {}
