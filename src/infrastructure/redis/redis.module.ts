import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config';
import { REDIS_COMMAND_TIMEOUT_MS } from './redis-timeouts';

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

/** Closes the shared client with the app (graceful shutdown). */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * One shared ioredis client for health checks, rate-limit counters and locks.
 * It fails fast instead of queueing commands while Redis is down, and gives up on a command that a
 * hanging Redis never answers.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new Redis(config.env.REDIS_URL, {
          keyPrefix: `${config.env.REDIS_PREFIX}:`,
          lazyConnect: false,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
          retryStrategy: (times) => Math.min(times * 200, 2000),
        }).on('error', () => undefined),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
