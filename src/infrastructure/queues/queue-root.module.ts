import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { AppConfig } from '../../config';
import { BullConnections, BullConnectionsModule } from './bull-connections';

/** Bull's root connection from REDIS_URL (clients with command timeouts); the key prefix keeps tests apart from dev data. */
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [BullConnectionsModule],
      inject: [AppConfig, BullConnections],
      useFactory: (config: AppConfig, connections: BullConnections) => ({
        url: config.env.REDIS_URL,
        prefix: `${config.env.REDIS_PREFIX}:bull`,
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
        createClient: connections.create,
      }),
    }),
  ],
})
export class QueueRootModule {}
