import { Migration } from '@mikro-orm/migrations';

/**
 * Outbound webhooks: an integrator's subscriptions (secrets AES-GCM boxed like channel secrets,
 * the previous one kept for the 24 h rotation overlap) and one delivery row per event and
 * subscription, whose id is the `X-Nanozons-Delivery` header on every attempt.
 */
export class Migration20261207050000_webhook_subscriptions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table webhook_subscriptions (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        url text not null,
        events text[] not null,
        secret text not null,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        status text not null default 'active' check (status in ('active', 'disabled')),
        created_by_type text not null,
        created_by_id text not null,
        failing_since timestamptz,
        disabled_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index webhook_subscriptions_workspace on webhook_subscriptions (workspace_id, id);
      create index webhook_subscriptions_active on webhook_subscriptions (workspace_id) where status = 'active';

      create table webhook_deliveries (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        subscription_id uuid not null references webhook_subscriptions (id) on delete cascade deferrable initially deferred,
        event text not null,
        event_created_at timestamptz not null,
        data jsonb not null,
        status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
        attempts integer not null default 0,
        response_code integer,
        last_error text,
        duration_ms integer,
        last_attempt_at timestamptz,
        retry_until timestamptz not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index webhook_deliveries_subscription on webhook_deliveries (workspace_id, subscription_id, id desc);
      create index webhook_deliveries_pending on webhook_deliveries (updated_at) where status = 'pending';
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists webhook_deliveries; drop table if exists webhook_subscriptions;');
  }
}
