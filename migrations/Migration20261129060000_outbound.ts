import { Migration } from '@mikro-orm/migrations';

/**
 * Outbound delivery: every provider attempt of a message (recorded as `started` before the call,
 * so a crash mid-call leaves a trace), the message's last error, what was asked to be sent
 * (template, recipient) and by which path (reply, business-initiated, retry).
 */
export class Migration20261129060000_outbound extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table message_attempts (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        message_id uuid not null references messages (id) on delete cascade deferrable initially deferred,
        started_at timestamptz not null,
        finished_at timestamptz,
        outcome text not null check (outcome in ('started', 'sent', 'failed', 'retry')),
        error_code text,
        error_message text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index message_attempts_workspace_message on message_attempts (workspace_id, message_id, started_at);

      alter table messages add column error jsonb;
      alter table messages add column template jsonb;
      alter table messages add column send_path text check (send_path in ('reply', 'business_initiated', 'ai_draft', 'retry'));
      alter table messages add column recipient text;
      alter table messages drop constraint messages_type_check;
      alter table messages add constraint messages_type_check check (type in ('text', 'image', 'audio', 'video', 'document', 'sticker', 'location',
        'contact', 'interactive_reply', 'email', 'unsupported', 'note', 'template'));
      -- The sweeper's scan: outbound messages still waiting for their job.
      create index messages_outbound_queued on messages (workspace_id, updated_at) where status = 'queued';
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop index if exists messages_outbound_queued;
      alter table messages drop constraint messages_type_check;
      alter table messages add constraint messages_type_check check (type in ('text', 'image', 'audio', 'video', 'document', 'sticker', 'location',
        'contact', 'interactive_reply', 'email', 'unsupported', 'note'));
      alter table messages drop column recipient;
      alter table messages drop column send_path;
      alter table messages drop column template;
      alter table messages drop column error;
      drop table message_attempts;
    `);
  }
}
