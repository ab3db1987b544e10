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
    // A dedicated connection (a subscribed one can do nothing else), with no offline queue: nothing waits on a Redis that is down (start-up and shutdown included); the
    // channel is subscribed on every (re)connection instead.
    const subscriber = new Redis(this.config.env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.subscriber = subscriber;
    subscriber.on('error', (e) => this.logger.warn(`event subscriber: ${e.message}`));
    subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
    subscriber.on('ready', () => void subscriber.subscribe(this.log.channel).catch((e: Error) => this.logger.warn(`event channel not subscribed: ${e.message}`)));
    subscriber.connect().catch(() => undefined);
  }

  onApplicationShutdown() {
    this.subscriber?.disconnect();
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
