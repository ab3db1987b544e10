import { Migration } from '@mikro-orm/migrations';

/**
 * Contacts, their identifiers, the consent ledger and the merge journal. btree_gin lets the
 * trigram search indexes start with workspace_id like every other index.
 */
export class Migration20261129030000_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create extension if not exists btree_gin;

      create table contacts (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        name text,
        processing_restricted boolean not null default false,
        -- Erasing the surviving contact erases the contacts merged into it: they are the same person.
        merged_into_id uuid references contacts (id) on delete cascade deferrable initially deferred,
        last_seen_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index contacts_workspace_live on contacts (workspace_id, id desc) where merged_into_id is null;
      create index contacts_workspace_merged_into on contacts (workspace_id, merged_into_id) where merged_into_id is not null;
      create index contacts_workspace_lower_name on contacts (workspace_id, lower(name)) where merged_into_id is null and name is not null;
      create index contacts_workspace_name_trgm on contacts using gin (workspace_id, name gin_trgm_ops);

      create table contact_identifiers (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        kind text not null check (kind in ('email', 'phone', 'whatsapp', 'telegram')),
        value text not null,
        verified boolean not null default false,
        source text not null,
        undeliverable boolean not null default false,
        match_key text,
        first_seen_at timestamptz,
        last_seen_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        -- Not deferrable: concurrent first messages of one person race on it, and the loser retries.
        constraint contact_identifiers_workspace_kind_value unique (workspace_id, kind, value)
      );
      create index contact_identifiers_workspace_contact on contact_identifiers (workspace_id, contact_id);
      create index contact_identifiers_workspace_match_key on contact_identifiers (workspace_id, match_key) where match_key is not null;
      create index contact_identifiers_workspace_value_trgm on contact_identifiers using gin (workspace_id, value gin_trgm_ops);

      create table contact_consents (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        channel_type text not null check (channel_type in ('email', 'whatsapp', 'telegram')),
        status text not null check (status in ('opted_in', 'opted_out')),
        source text not null check (source in ('api', 'inbound_keyword', 'provider', 'import')),
        evidence jsonb,
        actor_type text not null,
        actor_id text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      -- Ids are UUIDv7, so id order is time order: history newest first, and per channel the newest wins.
      create index contact_consents_workspace_contact on contact_consents (workspace_id, contact_id, id desc);
      create index contact_consents_workspace_contact_channel on contact_consents (workspace_id, contact_id, channel_type, id desc);

      -- The ledger is append-only: an entry may change owner (merge, undo) but never what it says.
      create function contact_consents_append_only() returns trigger language plpgsql as $$
      begin
        if (new.id, new.workspace_id, new.channel_type, new.status, new.source, new.evidence, new.actor_type, new.actor_id, new.created_at)
           is distinct from
           (old.id, old.workspace_id, old.channel_type, old.status, old.source, old.evidence, old.actor_type, old.actor_id, old.created_at) then
          raise exception 'contact_consents is append-only';
        end if;
        return new;
      end $$;
      create trigger contact_consents_no_rewrite before update on contact_consents
        for each row execute function contact_consents_append_only();

      create table contact_merges (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        target_contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        source_contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        reason text not null,
        automatic boolean not null default false,
        actor_type text not null,
        actor_id text not null,
        moved_identifier_ids uuid[] not null default '{}',
        moved_consent_ids uuid[] not null default '{}',
        undone_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index contact_merges_workspace_target on contact_merges (workspace_id, target_contact_id, id desc);
      create index contact_merges_workspace_source on contact_merges (workspace_id, source_contact_id, id desc);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table if exists contact_merges, contact_consents, contact_identifiers, contacts cascade;
      drop function if exists contact_consents_append_only();
    `);
  }
}
