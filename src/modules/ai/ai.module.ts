import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { apiOnly, QUEUES, workerOnly } from '../../common/queues';
import { appEnv } from '../../config';
import { IdentityModule } from '../identity';
import { MessagingModule } from '../messaging';
import { WorkspacesModule } from '../workspaces';
import { AiArtifactsController } from './ai-artifacts.controller';
import { AiArtifactsService } from './ai-artifacts.service';
import { AiGate } from './ai-gate.service';
import { AiGenerationService } from './ai-generation.service';
import { AiMaintenanceService } from './ai-maintenance.service';
import { AiRequestsController } from './ai-requests.controller';
import { AiArtifact } from './entities/ai-artifact.entity';
import { AiProcessor } from './jobs/ai.processor';
import { AiPersonalDataHolder } from './listeners/ai-personal-data.holder';
import { AI_PROVIDER } from './providers/ai-provider';
import { createAiProvider } from './providers/ai-provider.factory';

@Module({
  imports: [MikroOrmModule.forFeature([AiArtifact]), BullModule.registerQueue({ name: QUEUES.ai }), MessagingModule, IdentityModule, WorkspacesModule],
  controllers: apiOnly(AiRequestsController, AiArtifactsController),
  providers: [
    { provide: AI_PROVIDER, useFactory: () => createAiProvider(appEnv()) },
    AiGate,
    AiArtifactsService,
    AiGenerationService,
    AiMaintenanceService,
    AiPersonalDataHolder,
    ...workerOnly(AiProcessor),
  ],
  exports: [AiArtifactsService],
})
export class AiModule {}
