import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { buildAbility, RequestCtx, WORKSPACE_ACCESS, WorkspaceAccessResolver } from '../../common/authz';
import { AppConfig } from '../../config';
import type { EventsStreamQuery } from './dto/stream-token.dto';
import { EventHub } from './event-hub.service';
import { EventLog, isStreamEventId, StreamEvent } from './event-log.service';
import { mayReceive } from './event-visibility';

/** A client that lets this much pile up unread is dropped (it can resume with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** EventSource waits this long before reconnecting. */
const RECONNECT_MS = 3000;

const frame = (e: StreamEvent) => `id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify({ id: e.id, event: e.event, createdAt: e.createdAt, data: e.data })}\n\n`;

/**
 * One SSE connection: live events of the workspace the caller may read, after replaying those
 * since `Last-Event-ID`; comment heartbeats, at each of which the caller's current role is read
 * again (a removed member's stream ends, a changed role applies), as on every request.
 */
@Injectable()
export class EventsStreamService implements OnModuleDestroy {
  private readonly logger = new Logger(EventsStreamService.name);
  /** Closers of this process's open streams, ended on shutdown so the HTTP server can close. */
  private readonly streams = new Set<() => void>();

  constructor(
    private readonly hub: EventHub,
    private readonly log: EventLog,
    private readonly config: AppConfig,
    @Inject(WORKSPACE_ACCESS) private readonly access: WorkspaceAccessResolver,
  ) {}

  async open(ctx: RequestCtx, req: FastifyRequest, reply: FastifyReply, query: EventsStreamQuery): Promise<void> {
    const header = req.headers['last-event-id'];
    const lastId = isStreamEventId(header) ? header : query.lastEventId;
    let ability = ctx.ability;
    const res = reply.raw;
    let closed = false;

    // Subscribe before replaying, so nothing published meanwhile is missed; what both deliver is sent once.
    const backlog: StreamEvent[] = [];
    let replaying = true;
    const replayed = new Set<string>();
    const send = (e: StreamEvent) => {
      if (closed || replayed.has(e.id) || !mayReceive({ ability }, e.event)) return;
      res.write(frame(e));
      if (res.writableLength > MAX_BUFFERED_BYTES) close();
    };
    const unlisten = this.hub.listen(ctx.workspaceId, (e) => (replaying ? backlog.push(e) : send(e)));
    const close = () => {
      if (closed) return;
      closed = true;
      this.streams.delete(close);
      clearInterval(heartbeat);
      unlisten();
      res.end();
    };
    const beat = async () => {
      res.write(': heartbeat\n\n');
      // A failed lookup (database away) keeps the stream on its last known role.
      const current = req.user && (await this.access.resolve(req.user, ctx.workspaceId).catch(() => undefined));
      if (current === null) return close();
      if (current) ability = buildAbility(current.permissions);
    };
    const heartbeat = setInterval(() => void beat(), this.config.env.EVENTS_HEARTBEAT_MS);
    // The response closes when the client goes away (or we end it): either way the stream is cleaned up.
    res.on('close', close);
    this.streams.add(close);

    reply.hijack();
    // Headers the guards set (RateLimit-*, X-Request-Id) go out with the handshake too.
    res.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RECONNECT_MS}\n\n`);

    if (lastId) {
      try {
        for (const e of await this.log.since(ctx.workspaceId, lastId)) {
          send(e);
          replayed.add(e.id);
        }
      } catch (e) {
        this.logger.warn(`replay after ${lastId} unavailable: ${(e as Error).message}`);
      }
    }
    replaying = false;
    backlog.splice(0).forEach(send);
    replayed.clear();
  }

  onModuleDestroy() {
    for (const close of [...this.streams]) close();
  }
}
