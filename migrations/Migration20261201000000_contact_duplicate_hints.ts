import { Migration } from '@mikro-orm/migrations';

/**
 * Duplicate signals that no identifier row can hold: a Telegram user's own contact card carrying a
 * phone that another contact has unverified (the unique (kind, value) key keeps the phone there).
 */
export class Migration20261201000000_contact_duplicate_hints extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table contact_duplicate_hints (
        id uuid primary key,
        workspace_id uuid not null references workspaces (id) on delete cascade deferrable initially deferred,
        -- The pair in id order, so one signal is one row whichever contact raised it.
        first_contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        second_contact_id uuid not null references contacts (id) on delete cascade deferrable initially deferred,
        reason text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint contact_duplicate_hints_pair check (first_contact_id < second_contact_id),
        constraint contact_duplicate_hints_workspace_pair_reason unique (workspace_id, first_contact_id, second_contact_id, reason)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists contact_duplicate_hints;');
  }
}
