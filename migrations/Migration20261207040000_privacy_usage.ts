import { Migration } from '@mikro-orm/migrations';

/**
 * Privacy requests and workspace exports (their documents live in file storage), and usage: daily
 * aggregates kept for good, per-member days and client events (identifiable) kept 12 months.
 */
export class Migration20261207040000_privacy_usage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table privacy_requests (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        type text not null,
        -- No foreign key: the request outlives the contact it erased, as the record that it was done.
        contact_id uuid not null,
        channel_type text,
        status text not null,
        error text,
        document_key text,
        expires_at timestamptz,
        requested_by_type text not null,
        requested_by_id text not null,
        completed_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index privacy_requests_workspace_contact on privacy_requests (workspace_id, contact_id, type);
      create index privacy_requests_expiring on privacy_requests (expires_at) where document_key is not null;

      create table exports (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        status text not null,
        storage_key text,
        size bigint,
        error text,
        expires_at timestamptz,
        requested_by_type text not null,
        requested_by_id text not null,
        completed_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index exports_workspace on exports (workspace_id, id);
      create index exports_expiring on exports (expires_at) where storage_key is not null;

      create table usage_daily (
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        date date not null,
        metric text not null,
        -- '' when the metric has no breakdown, so the primary key can include it.
        dimension text not null default '',
        value bigint not null,
        primary key (workspace_id, date, metric, dimension)
      );

      create table usage_member_days (
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        date date not null,
        user_id uuid not null,
        api_calls integer not null,
        primary key (workspace_id, date, user_id)
      );
      create index usage_member_days_date on usage_member_days (date);

      create table usage_events (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        actor_type text not null,
        actor_id text not null,
        name text not null,
        properties jsonb,
        created_at timestamptz not null
      );
      create index usage_events_workspace on usage_events (workspace_id, created_at);
      create index usage_events_created on usage_events (created_at);

      -- Erasure pseudonymizes audit entries: inside a transaction that declared it (a local
      -- setting), only \`changes\` may be rewritten; everything else stays append-only.
      create or replace function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and not exists (select 1 from workspaces where id = old.workspace_id) then
          return old; -- cascading delete of a hard-deleted workspace
        end if;
        if tg_op = 'UPDATE' and current_setting('nanozons.pseudonymize', true) = 'on'
           and (new.id, new.workspace_id, new.actor_type, new.actor_id, new.action, new.subject_type, new.subject_id, new.ip, new.request_id, new.created_at)
               is not distinct from
               (old.id, old.workspace_id, old.actor_type, old.actor_id, old.action, old.subject_type, old.subject_id, old.ip, old.request_id, old.created_at) then
          return new;
        end if;
        raise exception 'audit_events is append-only';
      end $$;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      create or replace function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and not exists (select 1 from workspaces where id = old.workspace_id) then
          return old;
        end if;
        raise exception 'audit_events is append-only';
      end $$;
    `);
    this.addSql('drop table if exists usage_events; drop table if exists usage_member_days; drop table if exists usage_daily; drop table if exists exports; drop table if exists privacy_requests;');
  }
}
