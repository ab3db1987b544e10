import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { DomainEventMap, DomainEventName } from '../../common/events';
import { AppConfig } from '../../config';
import { InjectRedis } from '../../infrastructure/redis/redis.module';

/** What the stream sends as `data:` (API.md), plus the workspace it belongs to for routing. */
export interface StreamEvent {
  id: string;
  event: DomainEventName;
  createdAt: string;
  workspaceId: string;
  data: Record<string, unknown>;
}

/** The resume window: the last 1,000 events of a workspace, none older than an hour. */
export const REPLAY_MAX_EVENTS = 1000;
export const REPLAY_MAX_AGE_MS = 60 * 60 * 1000;

const STREAM_ID = /^\d{1,15}-\d{1,10}$/;
export const isStreamEventId = (id: unknown): id is string => typeof id === 'string' && STREAM_ID.test(id);

// Append and publish in one step, so every API process hears events in the stream's own order and
// an event is never published without being resumable. The id is Redis' stream id (time-ordered).
const APPEND = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], id .. ' ' .. ARGV[2])
return id`;

/**
 * The cluster-wide event log behind SSE: a capped Redis stream per workspace for `Last-Event-ID`
 * resume, and one pub/sub channel that every API process listens on (see EventHub).
 */
@Injectable()
export class EventLog {
  private readonly logger = new Logger(EventLog.name);

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** The pub/sub channel; pub/sub names are not key-prefixed by ioredis, so the prefix is added here. */
  get channel(): string {
    return `${this.config.env.REDIS_PREFIX}:events`;
  }

  /** Appends and publishes; an unreachable Redis loses the live event (logged), never the caller's work. */
  async append<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<void> {
    const { workspaceId, ...data } = payload;
    const body = JSON.stringify({ event: name, createdAt: new Date().toISOString(), workspaceId, data });
    try {
      await this.redis.eval(APPEND, 1, streamKey(workspaceId), REPLAY_MAX_EVENTS, body, REPLAY_MAX_AGE_MS, this.channel);
    } catch (e) {
      this.logger.warn(`event ${name} not streamed: ${(e as Error).message}`);
    }
  }

  /** Events of the workspace after `lastId`, oldest first, within the resume window. */
  async since(workspaceId: string, lastId: string): Promise<StreamEvent[]> {
    const oldest = `${Date.now() - REPLAY_MAX_AGE_MS}-0`;
    const start = compareIds(lastId, oldest) > 0 ? `(${lastId}` : oldest;
    const entries = (await this.redis.xrange(streamKey(workspaceId), start, '+', 'COUNT', REPLAY_MAX_EVENTS)) as [string, string[]][];
    return entries.map(([id, fields]) => ({ id, ...(JSON.parse(fields[1]) as Omit<StreamEvent, 'id'>) }));
  }
}

/** A published message: `<stream id> <json>`. */
export function parsePublished(message: string): StreamEvent {
  const space = message.indexOf(' ');
  return { id: message.slice(0, space), ...(JSON.parse(message.slice(space + 1)) as Omit<StreamEvent, 'id'>) };
}

const streamKey = (workspaceId: string) => `events:${workspaceId}`;

/** Orders Redis stream ids (`<ms>-<seq>`). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
}
