import { Migration } from '@mikro-orm/migrations';

/** Users, workspaces, roles, memberships, invitations, API keys, refresh tokens and the audit log. */
export class Migration20261129010000_workspaces extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- Foreign keys are deferred to commit: entities reference each other by id columns,
      -- so the unit of work cannot order inserts by relation.
      create table users (
        id uuid primary key,
        email text not null unique,
        name text not null,
        password_hash text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );

      create table workspaces (
        id uuid primary key,
        name text not null,
        business_name text,
        contact_email text,
        contact_phone text,
        billing_customer_ref text,
        status text not null default 'active' check (status in ('active', 'closing')),
        deletion_due_at timestamptz,
        settings jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );

      create table roles (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        name text not null,
        built_in boolean not null default false,
        permissions jsonb not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (workspace_id, name)
      );

      create table memberships (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        user_id uuid references users (id) on delete cascade deferrable initially deferred,
        email text not null,
        role_id uuid not null references roles (id) deferrable initially deferred,
        status text not null check (status in ('active', 'invited')),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (workspace_id, email)
      );
      create unique index memberships_workspace_user on memberships (workspace_id, user_id) where user_id is not null;
      create index memberships_user on memberships (user_id);

      create table invitations (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        membership_id uuid not null references memberships (id) on delete cascade deferrable initially deferred,
        token_hash text not null unique,
        expires_at timestamptz not null,
        accepted_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index invitations_workspace on invitations (workspace_id);

      create table api_keys (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        name text not null,
        prefix text not null unique,
        hash text not null,
        role_id uuid not null references roles (id) deferrable initially deferred,
        created_by uuid,
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index api_keys_workspace on api_keys (workspace_id, id);

      create table refresh_tokens (
        id uuid primary key,
        family_id uuid not null,
        user_id uuid not null references users (id) on delete cascade deferrable initially deferred,
        token_hash text not null,
        expires_at timestamptz not null,
        rotated_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index refresh_tokens_family on refresh_tokens (family_id);

      create table audit_events (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        actor_type text not null,
        actor_id text not null,
        action text not null,
        subject_type text,
        subject_id text,
        changes jsonb,
        ip text,
        request_id text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index audit_events_workspace_id on audit_events (workspace_id, id desc);
      create index audit_events_workspace_action on audit_events (workspace_id, action, id desc);

      -- Append-only at the database level too: no role can rewrite history through the app.
      create function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and not exists (select 1 from workspaces where id = old.workspace_id) then
          return old; -- cascading delete of a hard-deleted workspace
        end if;
        raise exception 'audit_events is append-only';
      end $$;
      create trigger audit_events_no_update before update on audit_events
        for each row execute function audit_events_append_only();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table if exists audit_events, refresh_tokens, api_keys, invitations, memberships, roles, workspaces, users cascade;
      drop function if exists audit_events_append_only();
    `);
  }
}
