import { Migration } from '@mikro-orm/migrations';

/** An export requested without `read ContactPii` is written with emails and phone numbers masked. */
export class Migration20261207060000_export_pii_masked extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table exports add column pii_masked boolean not null default false');
  }

  override async down(): Promise<void> {
    this.addSql('alter table exports drop column pii_masked');
  }
}
