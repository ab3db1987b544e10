import { Migration } from '@mikro-orm/migrations';

/**
 * AI summaries and drafts. A draft keeps the model's text and every edit (`history`); the message
 * an approval sends names the artifact and the approver, and at most one message may name an
 * artifact (the unique index backs the conditional claim of an approval).
 * No foreign key to conversations or messages: erasure removes artifacts first (they are derived
 * data), and a message erased later must not take the artifact's audit trail with it.
 */
export class Migration20261207030000_ai_artifacts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table ai_artifacts (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        conversation_id uuid not null,
        kind text not null check (kind in ('summary', 'draft')),
        status text not null check (status in ('pending', 'ready', 'failed', 'approved', 'discarded')),
        content text,
        history jsonb not null default '[]',
        sources jsonb not null default '[]',
        instructions text,
        language text,
        reason text,
        provider text not null,
        model text not null,
        requested_by_type text not null,
        requested_by_id text not null,
        approved_by_type text,
        approved_by_id text,
        approved_at timestamptz,
        message_id uuid,
        tokens_in integer,
        tokens_out integer,
        latency_ms integer,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index ai_artifacts_workspace_conversation on ai_artifacts (workspace_id, conversation_id, id);
      create index ai_artifacts_workspace_id on ai_artifacts (workspace_id, id);
      -- The sweeper's scan: artifacts still waiting for their job.
      create index ai_artifacts_pending on ai_artifacts (workspace_id, updated_at) where status = 'pending';

      alter table messages add column ai_artifact_id uuid;
      alter table messages add column approved_by_type text;
      alter table messages add column approved_by_id text;
      create unique index messages_ai_artifact on messages (workspace_id, ai_artifact_id) where ai_artifact_id is not null;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop index if exists messages_ai_artifact;
      alter table messages drop column if exists approved_by_id;
      alter table messages drop column if exists approved_by_type;
      alter table messages drop column if exists ai_artifact_id;
      drop table if exists ai_artifacts;
    `);
  }
}
