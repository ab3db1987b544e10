import { Migration } from '@mikro-orm/migrations';

/**
 * `webhook_dedupe` gets `workspace_id` and its key leads with it, like every other tenant table:
 * tenant-first keys keep one workspace's rows together and are what a distribution by
 * `workspace_id` (Citus) needs. Keys of channels that no longer exist are dropped on the way.
 */
export class Migration20261207012000_webhook_dedupe_tenant_first extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table webhook_dedupe add column workspace_id uuid;');
    this.addSql('update webhook_dedupe d set workspace_id = c.workspace_id from channels c where c.id = d.channel_id;');
    this.addSql('delete from webhook_dedupe where workspace_id is null;');
    this.addSql('alter table webhook_dedupe alter column workspace_id set not null;');
    this.addSql('alter table webhook_dedupe drop constraint webhook_dedupe_pkey;');
    this.addSql('alter table webhook_dedupe add constraint webhook_dedupe_pkey primary key (workspace_id, channel_id, key);');
  }

  override async down(): Promise<void> {
    this.addSql('alter table webhook_dedupe drop constraint webhook_dedupe_pkey;');
    this.addSql('alter table webhook_dedupe add constraint webhook_dedupe_pkey primary key (channel_id, key);');
    this.addSql('alter table webhook_dedupe drop column workspace_id;');
  }
}
