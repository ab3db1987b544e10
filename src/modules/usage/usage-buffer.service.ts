import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { UsageSample } from '../../common/usage';
import { newId } from '../../infrastructure/database';

/** How often each process writes its counters: one upsert per table per interval, whatever the traffic. */
export const USAGE_FLUSH_EVERY_MS = 5000;

export interface ClientEvent {
  workspaceId: string;
  actorType: string;
  actorId: string;
  name: string;
  properties: Record<string, unknown> | null;
  at: Date;
}

const day = (at: Date) => at.toISOString().slice(0, 10);
/** Beyond this many buffered client events a flush starts early, so memory stays bounded. */
const MAX_BUFFERED_EVENTS = 5000;

/**
 * Counts usage in memory and writes it periodically, so a request or a message never costs an
 * INSERT of its own. Each process keeps its own buffer; upserts add, so any number of processes
 * sum up correctly. A failed flush keeps the counts for the next one.
 */
@Injectable()
export class UsageBuffer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UsageBuffer.name);
  private counters = new Map<string, number>();
  private memberCalls = new Map<string, number>();
  private events: ClientEvent[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly em: EntityManager) {}

  onModuleInit() {
    this.timer = setInterval(() => void this.flush(), USAGE_FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.flush();
  }

  add(sample: UsageSample): void {
    const key = JSON.stringify([sample.workspaceId, day(sample.at), sample.metric, sample.dimension ?? '']);
    this.counters.set(key, (this.counters.get(key) ?? 0) + sample.amount);
  }

  /** An authenticated call in a workspace; a person's calls also make them an active member that day. */
  apiCall(workspaceId: string, userId: string | undefined, at = new Date()): void {
    this.add({ workspaceId, metric: 'api_calls', amount: 1, at });
    if (!userId) return;
    const key = JSON.stringify([workspaceId, day(at), userId]);
    this.memberCalls.set(key, (this.memberCalls.get(key) ?? 0) + 1);
  }

  clientEvent(event: ClientEvent): void {
    this.events.push(event);
    if (this.events.length >= MAX_BUFFERED_EVENTS) void this.flush();
  }

  /** Writes everything buffered so far (flushes never overlap). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const [counters, memberCalls, events] = [this.counters, this.memberCalls, this.events];
    if (!counters.size && !memberCalls.size && !events.length) return;
    this.counters = new Map();
    this.memberCalls = new Map();
    this.events = [];
    try {
      await this.em.fork().transactional(async (tx) => {
        const daily = [...counters].map(([k, value]) => {
          const [workspace_id, date, metric, dimension] = JSON.parse(k) as string[];
          return { workspace_id, date, metric, dimension, value };
        });
        const members = [...memberCalls].map(([k, api_calls]) => {
          const [workspace_id, date, user_id] = JSON.parse(k) as string[];
          return { workspace_id, date, user_id, api_calls };
        });
        // Rows of a workspace deleted meanwhile are dropped instead of failing the whole batch.
        if (daily.length) {
          await tx.execute(
            `insert into usage_daily (workspace_id, date, metric, dimension, value)
             select x.* from jsonb_to_recordset(?::jsonb) as x(workspace_id uuid, date date, metric text, dimension text, value bigint)
             where exists (select 1 from workspaces w where w.id = x.workspace_id)
             on conflict (workspace_id, date, metric, dimension) do update set value = usage_daily.value + excluded.value`,
            [JSON.stringify(daily)],
          );
        }
        if (members.length) {
          await tx.execute(
            `insert into usage_member_days (workspace_id, date, user_id, api_calls)
             select x.* from jsonb_to_recordset(?::jsonb) as x(workspace_id uuid, date date, user_id uuid, api_calls integer)
             where exists (select 1 from workspaces w where w.id = x.workspace_id)
             on conflict (workspace_id, date, user_id) do update set api_calls = usage_member_days.api_calls + excluded.api_calls`,
            [JSON.stringify(members)],
          );
          // The day's distinct members, kept as an aggregate that outlives the identifiable rows.
          await tx.execute(
            `insert into usage_daily (workspace_id, date, metric, dimension, value)
             select m.workspace_id, m.date, 'active_members', '', count(*) from usage_member_days m
             where (m.workspace_id, m.date) in (select x.workspace_id, x.date from jsonb_to_recordset(?::jsonb) as x(workspace_id uuid, date date))
             group by m.workspace_id, m.date
             on conflict (workspace_id, date, metric, dimension) do update set value = excluded.value`,
            [JSON.stringify(members)],
          );
        }
        if (events.length) {
          await tx.execute(
            `insert into usage_events (id, workspace_id, actor_type, actor_id, name, properties, created_at)
             select x.* from jsonb_to_recordset(?::jsonb) as x(id uuid, workspace_id uuid, actor_type text, actor_id text, name text, properties jsonb, created_at timestamptz)
             where exists (select 1 from workspaces w where w.id = x.workspace_id)`,
            [JSON.stringify(events.map((e) => ({ id: newId(), workspace_id: e.workspaceId, actor_type: e.actorType, actor_id: e.actorId, name: e.name, properties: e.properties, created_at: e.at })))],
          );
        }
      });
    } catch (e) {
      this.logger.warn(`usage flush failed, keeping the counts for the next one: ${(e as Error).message}`);
      for (const [k, v] of counters) this.counters.set(k, (this.counters.get(k) ?? 0) + v);
      for (const [k, v] of memberCalls) this.memberCalls.set(k, (this.memberCalls.get(k) ?? 0) + v);
      this.events.unshift(...events.slice(0, MAX_BUFFERED_EVENTS));
    }
  }
}
