import { Migration } from '@mikro-orm/migrations';

/**
 * The listed `prefix` of an API key is now the key's own first characters, fixed lead included
 * (`nz_…` for new keys). Keys issued before keep authenticating: their stored prefix gains the
 * `nzk_` lead they were handed out with, so it is the start of those keys too.
 */
export class Migration20261207011000_api_key_prefix_lead extends Migration {
  override async up(): Promise<void> {
    this.addSql("update api_keys set prefix = 'nzk_' || prefix where prefix !~ '^nzk?_';");
  }

  override async down(): Promise<void> {
    this.addSql("update api_keys set prefix = substr(prefix, 5) where prefix like 'nzk\\_%';");
  }
}
