import { Migration } from '@mikro-orm/migrations';

/**
 * A manual retry gets the full OUTBOUND_MAX_ATTEMPTS again: the worker counts only the attempts
 * made after `attempt_base`, the number of attempts the message had when it was retried.
 */
export class Migration20261129070000_outbound_retry_budget extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table messages add column attempt_base integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table messages drop column attempt_base;`);
  }
}
