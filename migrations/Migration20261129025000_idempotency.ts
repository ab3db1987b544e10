import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys of creating POSTs: the first answer is kept 24 h and replayed for the same key and body. */
export class Migration20261129025000_idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table idempotency_keys (
        scope text not null,
        key text not null,
        fingerprint text not null,
        state text not null check (state in ('running', 'done')),
        status_code integer,
        response jsonb,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        primary key (scope, key)
      );
      create index idempotency_keys_expires on idempotency_keys (expires_at);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists idempotency_keys;');
  }
}
