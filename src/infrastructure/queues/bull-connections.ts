import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { bullRedisClient } from '../redis/redis-timeouts';

const QUEUE_TOKEN = /^BullQueue_/;

/**
 * Bull's Redis connections, made by our client factory (command timeouts). Bull closes only the
 * clients it made itself, so these are closed here: after every queue of the app has closed (the
 * close Bull's module starts, awaited whichever hook runs first), since closing a queue still
 * reconnects its blocking client once.
 */
@Injectable()
export class BullConnections implements OnApplicationShutdown {
  private readonly clients = new Set<Redis>();

  constructor(private readonly modules: ModulesContainer) {}

  readonly create = (type: 'client' | 'subscriber' | 'bclient', opts?: RedisOptions): Redis => {
    const client = bullRedisClient(type, opts);
    this.clients.add(client);
    return client;
  };

  async onApplicationShutdown() {
    await Promise.all(this.queues().map((queue) => queue.close().catch(() => undefined)));
    for (const client of this.clients) client.disconnect();
    this.clients.clear();
  }

  /** Every queue instance (a queue registered by several modules has one instance in each). */
  private queues(): Queue[] {
    return [...this.modules.values()].flatMap((module) =>
      [...module.providers.entries()].flatMap(([token, wrapper]) => (typeof token === 'string' && QUEUE_TOKEN.test(token) && wrapper.instance ? [wrapper.instance as Queue] : [])),
    );
  }
}

@Module({ providers: [BullConnections], exports: [BullConnections] })
export class BullConnectionsModule {}
