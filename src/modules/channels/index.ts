export { ChannelsModule } from './channels.module';
export { ChannelsService } from './channels.service';
export { WebhookIngestService } from './webhook-ingest.service';
export { InboundConsumerRegistry } from './inbound-consumer';
export type { InboundConsumer, InboundEvent } from './inbound-consumer';
export { LedgerMaintenanceService } from './ledger/ledger-maintenance.service';
export { LedgerProcessingService } from './ledger/ledger-processing.service';
export type { StoredMedia } from './media.service';
export * from './adapters';
