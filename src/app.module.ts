import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ConfigModule } from './config';
import { DatabaseModule } from './infrastructure/database/database.module';
import { QueueRootModule } from './infrastructure/queues/queue-root.module';
import { RedisModule } from './infrastructure/redis/redis.module';
import { HealthModule } from './modules/health';

@Module({
  imports: [
    ConfigModule,
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    DatabaseModule,
    RedisModule,
    QueueRootModule,
    HealthModule,
  ],
})
export class AppModule {}
