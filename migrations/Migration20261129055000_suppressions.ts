import { Migration } from '@mikro-orm/migrations';

/**
 * The suppression list: when a person who opted out is erased, only a salted hash of each of their
 * identifiers remains, per channel type, so they are never messaged again. The salt is per workspace.
 */
export class Migration20261129055000_suppressions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table suppression_salts (
        workspace_id uuid primary key references workspaces (id) on delete cascade deferrable initially deferred,
        salt text not null
      );
      create table suppressions (
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        identifier_hash text not null,
        channel_type text not null check (channel_type in ('email', 'whatsapp', 'telegram')),
        created_at timestamptz not null default now(),
        primary key (workspace_id, identifier_hash, channel_type)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists suppressions, suppression_salts;');
  }
}
