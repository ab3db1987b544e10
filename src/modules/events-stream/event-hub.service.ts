import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config';
import { EventLog, parsePublished, StreamEvent } from './event-log.service';

type Listener = (event: StreamEvent) => void;

/**
 * This API process's one subscriber connection to the cluster's event channel, fanning each event
 * out to the process's open streams of that workspace. Worker processes serve no streams and skip it.
 */
@Injectable()
export class EventHub implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventHub.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber?: Redis;

  constructor(
    private readonly config: AppConfig,
    private readonly log: EventLog,
  ) {}

  onModuleInit() {
    if (!this.config.isApi) return;
    // A dedicated connection (a subscribed one can do nothing else) that reconnects and resubscribes by itself.
    this.subscriber = new Redis(this.config.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.subscriber.on('error', (e) => this.logger.warn(`event subscriber: ${e.message}`));
    this.subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
    // Never awaited: start-up must not wait for a Redis that is down (the subscribe runs once it answers).
    this.subscriber.connect().catch(() => undefined);
    this.subscriber.subscribe(this.log.channel).catch((e: Error) => this.logger.warn(`event channel not subscribed yet: ${e.message}`));
  }

  async onApplicationShutdown() {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Calls `listener` with every event of the workspace from now on; returns the unsubscribe. */
  listen(workspaceId: string, listener: Listener): () => void {
    const set = this.listeners.get(workspaceId) ?? new Set();
    set.add(listener);
    this.listeners.set(workspaceId, set);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(workspaceId);
    };
  }

  /** Open streams in this process (for tests and metrics: disconnects must not leak). */
  get openStreams(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private dispatch(message: string) {
    let event: StreamEvent;
    try {
      event = parsePublished(message);
    } catch {
      return;
    }
    for (const listener of this.listeners.get(event.workspaceId) ?? []) listener(event);
  }
}
