import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { CommonSeamsModule } from './common/common-seams.module';
import { IdempotencyModule } from './common/idempotency';
import { ConfigModule } from './config';
import { DatabaseModule } from './infrastructure/database/database.module';
import { OperationsModule } from './infrastructure/queues/operations.module';
import { QueueRootModule } from './infrastructure/queues/queue-root.module';
import { RedisModule } from './infrastructure/redis/redis.module';
import { CryptoModule } from './infrastructure/crypto';
import { StorageModule } from './infrastructure/storage';
import { AiModule } from './modules/ai';
import { AuditModule } from './modules/audit';
import { ChannelsModule } from './modules/channels';
import { ComplianceModule } from './modules/compliance';
import { EventsStreamModule } from './modules/events-stream';
import { HealthModule } from './modules/health';
import { IdentityModule } from './modules/identity';
import { MessagingModule } from './modules/messaging';
import { PrivacyModule } from './modules/privacy';
import { SandboxModule } from './modules/sandbox';
import { UsageModule } from './modules/usage';
import { WebhooksModule } from './modules/webhooks';
import { WorkspacesModule } from './modules/workspaces';

@Module({
  imports: [
    ConfigModule,
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    DatabaseModule,
    CommonSeamsModule,
    RedisModule,
    QueueRootModule,
    CryptoModule,
    StorageModule,
    HealthModule,
    IdempotencyModule,
    AuditModule,
    WorkspacesModule,
    ChannelsModule,
    IdentityModule,
    ComplianceModule,
    MessagingModule,
    AiModule,
    PrivacyModule,
    UsageModule,
    WebhooksModule,
    EventsStreamModule,
    SandboxModule.register(),
    OperationsModule,
  ],
})
export class AppModule {}
