import { Migration } from '@mikro-orm/migrations';

/**
 * Channels, templates and the raw inbound ledger. The ledger is range-partitioned by month on
 * `received_at` so 90-day retention drops whole partitions; dedupe keys live in their own table
 * because a unique index on a partitioned table must include the partition key.
 */
export class Migration20261129020000_channels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table channels (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        type text not null check (type in ('email', 'whatsapp', 'telegram')),
        name text not null,
        status text not null default 'active' check (status in ('active', 'disconnected')),
        config jsonb not null,
        secrets text not null,
        disconnected_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index channels_workspace on channels (workspace_id, id);

      create table templates (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        channel_id uuid not null references channels (id) on delete cascade deferrable initially deferred,
        name text not null,
        language text not null,
        category text not null,
        components jsonb not null,
        status text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (channel_id, name, language)
      );
      create index templates_workspace on templates (workspace_id, channel_id, name);

      create table webhook_events (
        id uuid not null,
        workspace_id uuid not null,
        channel_id uuid not null,
        kind text not null,
        received_at timestamptz not null,
        dedupe_keys text[] not null,
        raw_body text not null,
        status text not null check (status in ('pending', 'processed', 'ignored', 'failed')),
        reason text,
        attempts integer not null default 0,
        result jsonb,
        processed_at timestamptz,
        primary key (id, received_at)
      ) partition by range (received_at);
      create index webhook_events_channel on webhook_events (workspace_id, channel_id, id desc);
      create index webhook_events_pending on webhook_events (received_at) where status = 'pending';

      create table webhook_dedupe (
        channel_id uuid not null,
        key text not null,
        event_id uuid not null,
        received_at timestamptz not null,
        primary key (channel_id, key)
      );
      create index webhook_dedupe_received on webhook_dedupe (received_at);

      -- Creates the monthly partitions covering [from_month, from_month + months).
      create function ensure_webhook_event_partitions(from_month date, months integer) returns void
      language plpgsql as $$
      declare
        m date;
      begin
        for i in 0 .. months - 1 loop
          m := (date_trunc('month', from_month) + make_interval(months => i))::date;
          execute format(
            'create table if not exists %I partition of webhook_events for values from (%L) to (%L)',
            'webhook_events_' || to_char(m, 'YYYY_MM'), m, (m + interval '1 month')::date);
        end loop;
      end $$;
      select ensure_webhook_event_partitions((now() - interval '1 month')::date, 4);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table if exists webhook_dedupe, webhook_events, templates, channels cascade;
      drop function if exists ensure_webhook_event_partitions(date, integer);
    `);
  }
}
