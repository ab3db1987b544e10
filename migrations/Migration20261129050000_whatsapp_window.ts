import { Migration } from '@mikro-orm/migrations';

/** When a provider 131047 closed a WhatsApp customer-service window early. */
export class Migration20261129050000_whatsapp_window extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table conversation_channels add column window_closed_at timestamptz;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table conversation_channels drop column window_closed_at;');
  }
}
