import { Migration } from '@mikro-orm/migrations';

/**
 * Conversations (one live one per contact), the channels each has traffic on, messages with their
 * attachments, and the journal of conversation merges that lets a contact merge be undone exactly.
 */
export class Migration20261129040000_messaging extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create extension if not exists btree_gin;

      create table conversations (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        status text not null default 'open' check (status in ('open', 'pending', 'snoozed', 'resolved')),
        snoozed_until timestamptz,
        assignee_id uuid references users (id) on delete set null deferrable initially deferred,
        labels text[] not null default '{}',
        last_message_at timestamptz not null,
        email_thread_token text not null,
        merged_into_id uuid references conversations (id) on delete cascade deferrable initially deferred,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint conversations_snoozed_until check ((status = 'snoozed') = (snoozed_until is not null))
      );
      -- Exactly one live conversation per contact: concurrent first messages meet here.
      create unique index conversations_workspace_contact_live on conversations (workspace_id, contact_id) where merged_into_id is null;
      create index conversations_workspace_contact on conversations (workspace_id, contact_id, updated_at desc);
      create unique index conversations_workspace_thread_token on conversations (workspace_id, email_thread_token);
      create index conversations_workspace_activity on conversations (workspace_id, last_message_at desc, id desc) where merged_into_id is null;
      create index conversations_workspace_assignee on conversations (workspace_id, assignee_id, last_message_at desc, id desc) where merged_into_id is null;
      create index conversations_workspace_labels on conversations using gin (workspace_id, labels);
      -- The wake-up job sweeps every workspace at once, so this one is keyed by time alone.
      create index conversations_snoozed on conversations (snoozed_until) where status = 'snoozed';

      create table conversation_channels (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        conversation_id uuid not null references conversations (id) on delete cascade deferrable initially deferred,
        channel_id uuid not null references channels (id) on delete cascade deferrable initially deferred,
        channel_type text not null check (channel_type in ('email', 'whatsapp', 'telegram')),
        last_inbound_at timestamptz,
        last_inbound_provider_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint conversation_channels_workspace_conversation_channel unique (workspace_id, conversation_id, channel_id)
      );
      create index conversation_channels_workspace_channel on conversation_channels (workspace_id, channel_id, conversation_id);

      create table messages (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        conversation_id uuid not null references conversations (id) on delete cascade deferrable initially deferred,
        channel_id uuid references channels (id) on delete cascade deferrable initially deferred,
        contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        direction text not null check (direction in ('inbound', 'outbound', 'internal')),
        type text not null check (type in ('text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contact',
                                           'interactive_reply', 'email', 'unsupported', 'note')),
        text text,
        subject text,
        email jsonb,
        payload jsonb,
        reply_to_message_id uuid references messages (id) on delete set null deferrable initially deferred,
        reactions jsonb not null default '[]',
        edited_at timestamptz,
        revisions jsonb not null default '[]',
        status text not null,
        provider_message_id text,
        sent_at timestamptz,
        status_history jsonb not null default '[]',
        ai_assisted boolean not null default false,
        author_type text,
        author_id text,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        search_tsv tsvector generated always as (to_tsvector('simple', coalesce(subject, '') || ' ' || coalesce(text, ''))) stored,
        -- A provider id is unique per channel: redelivered and replayed messages never land twice.
        -- (Notes have neither, and NULLs never collide.) channel_id implies workspace_id.
        constraint messages_workspace_channel_provider_id unique (workspace_id, channel_id, provider_message_id)
      );
      create index messages_workspace_conversation on messages (workspace_id, conversation_id, id);
      create index messages_workspace_contact on messages (workspace_id, contact_id);
      create index messages_workspace_search on messages using gin (workspace_id, search_tsv);
      -- Email replies quote the RFC Message-ID, not Postmark's id.
      create index messages_workspace_email_message_id on messages (workspace_id, channel_id, (email ->> 'messageId')) where email is not null;

      create table attachments (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        message_id uuid not null references messages (id) on delete cascade deferrable initially deferred,
        filename text not null,
        content_type text not null,
        size integer not null,
        sha256 text not null,
        storage_key text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index attachments_workspace_message on attachments (workspace_id, message_id);
      create index attachments_workspace_storage_key on attachments (workspace_id, storage_key);

      -- One row per contact merge that moved a conversation; merge_id is identity's journal id.
      create table conversation_merges (
        merge_id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        source_conversation_id uuid not null references conversations (id) on delete cascade deferrable initially deferred,
        target_conversation_id uuid references conversations (id) on delete set null deferrable initially deferred,
        target_created boolean not null,
        undone_at timestamptz,
        created_at timestamptz not null
      );
      create index conversation_merges_workspace on conversation_merges (workspace_id, merge_id);

      create table conversation_merge_moves (
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        merge_id uuid not null references conversation_merges (merge_id) on delete cascade deferrable initially deferred,
        message_id uuid not null references messages (id) on delete cascade deferrable initially deferred,
        from_conversation_id uuid not null,
        from_contact_id uuid not null,
        primary key (workspace_id, merge_id, message_id)
      );

      -- Search by identifier fragment (identity creates it; kept here so search never runs without it).
      create index if not exists contact_identifiers_workspace_value_trgm on contact_identifiers using gin (workspace_id, value gin_trgm_ops);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists conversation_merge_moves, conversation_merges, attachments, messages, conversation_channels, conversations cascade;');
  }
}
