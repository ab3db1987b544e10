import { Migration } from '@mikro-orm/migrations';

/**
 * The contact identifier an inbound message came from. A contact merge moves identifiers, not the
 * messages that arrive through them later, so undoing it uses this to send those messages back too.
 * No foreign key: identifiers are identity's rows, and removing one must not touch the history.
 */
export class Migration20261201010000_message_sender_identifier extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table messages add column sender_identifier_id uuid;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table messages drop column if exists sender_identifier_id;');
  }
}
