import { Migration } from '@mikro-orm/migrations';

/** Extensions the later modules rely on (trigram search over identifiers). */
export class Migration20261129000000_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists pg_trgm;');
  }

  override async down(): Promise<void> {
    this.addSql('drop extension if exists pg_trgm;');
  }
}
