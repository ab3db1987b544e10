import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ConfigModule } from './config';
import { DatabaseModule } from './infrastructure/database/database.module';
import { QueueRootModule } from './infrastructure/queues/queue-root.module';
import { RedisModule } from './infrastructure/redis/redis.module';
import { AuditModule } from './modules/audit';
import { HealthModule } from './modules/health';
import { WorkspacesModule } from './modules/workspaces';

@Module({
  imports: [
    ConfigModule,
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    DatabaseModule,
    RedisModule,
    QueueRootModule,
    HealthModule,
    AuditModule,
    WorkspacesModule,
  ],
})
export class AppModule {}
