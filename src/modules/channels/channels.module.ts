import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { apiOnly, QUEUES, workerOnly } from '../../common/queues';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { INBOUND_CONSUMERS, LEDGER_MAINTENANCE } from './channels.tokens';
import { Channel } from './entities/channel.entity';
import { Template } from './entities/template.entity';
import { InboundConsumerRegistry } from './inbound-consumer';
import { LedgerRetentionProcessor } from './jobs/ledger-retention.processor';
import { WebhookProcessor } from './jobs/webhook.processor';
import { LedgerController } from './ledger.controller';
import { LedgerMaintenanceService } from './ledger/ledger-maintenance.service';
import { LedgerPersonalDataHolder } from './ledger/ledger-personal-data.holder';
import { LedgerProcessingService } from './ledger/ledger-processing.service';
import { LedgerRepository } from './ledger/ledger.repository';
import { LedgerService } from './ledger/ledger.service';
import { WorkspaceClosedListener } from './listeners/workspace-closed.listener';
import { MediaService } from './media.service';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';
import { WebhookIngestService } from './webhook-ingest.service';
import { WebhooksController } from './webhooks.controller';
import { WebhookChannelCache } from './webhook-channel.cache';

@Module({
  imports: [
    MikroOrmModule.forFeature([Channel, Template]),
    BullModule.registerQueue({ name: QUEUES.webhooks }, { name: QUEUES.maintenance }),
  ],
  controllers: apiOnly(ChannelsController, TemplatesController, LedgerController, WebhooksController),
  providers: [
    ChannelsService,
    TemplatesService,
    LedgerRepository,
    LedgerService,
    LedgerProcessingService,
    LedgerMaintenanceService,
    WebhookIngestService,
    WebhookChannelCache,
    MediaService,
    InboundConsumerRegistry,
    WorkspaceClosedListener,
    LedgerPersonalDataHolder,
    ...workerOnly(WebhookProcessor, LedgerRetentionProcessor),
    { provide: LEDGER_MAINTENANCE, useExisting: LedgerMaintenanceService },
    { provide: INBOUND_CONSUMERS, useExisting: InboundConsumerRegistry },
  ],
  exports: [ChannelsService, TemplatesService, InboundConsumerRegistry, WebhookIngestService, LedgerMaintenanceService, LedgerProcessingService, LEDGER_MAINTENANCE, INBOUND_CONSUMERS],
})
export class ChannelsModule {}
