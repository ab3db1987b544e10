import { Migration } from '@mikro-orm/migrations';

/**
 * Role names are display names ("Support lead"): unique per workspace ignoring case, so "Support
 * Lead" cannot sit beside it and members and API keys can name a role in any case.
 */
export class Migration20261207010000_role_names_case_insensitive extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table roles drop constraint if exists roles_workspace_id_name_key;');
    this.addSql('create unique index roles_workspace_lower_name on roles (workspace_id, lower(name));');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists roles_workspace_lower_name;');
    this.addSql('alter table roles add constraint roles_workspace_id_name_key unique (workspace_id, name);');
  }
}
