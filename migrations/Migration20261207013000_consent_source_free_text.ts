import { Migration } from '@mikro-orm/migrations';

/**
 * A consent's `source` says where the customer gave or withdrew it, in the business's own words
 * (`web_form`, `phone_call`, …), not only the values the system records itself.
 */
export class Migration20261207013000_consent_source_free_text extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table contact_consents drop constraint if exists contact_consents_source_check;');
    this.addSql('alter table contact_consents add constraint contact_consents_source_check check (char_length(source) between 1 and 64);');
  }

  override async down(): Promise<void> {
    this.addSql('alter table contact_consents drop constraint if exists contact_consents_source_check;');
    this.addSql("alter table contact_consents add constraint contact_consents_source_check check (source in ('api', 'inbound_keyword', 'provider', 'import')) not valid;");
  }
}
