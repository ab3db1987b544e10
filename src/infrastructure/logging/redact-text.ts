/** `bot<id>:<secret>` in Bot API URLs (also %3A-encoded): the id is public, the secret is the credential. */
const TELEGRAM_TOKEN = /\bbot(\d+)(?::|%3A)[A-Za-z0-9_-]+/gi;

/**
 * MikroORM's error message is `<SQL with every parameter inlined> - <PostgreSQL message>`, so a
 * failed insert would log customer text, emails and tokens. Keep the statement kind and table
 * (the query's name) and PostgreSQL's own message; drop everything in between.
 */
const FAILED_SQL = /\b(insert into|update|delete from)\s+("?[\w.]+"?)[\s\S]* - |\b(select|with)\s[\s\S]* - /gi;

/** Log text with credentials and SQL parameters removed; applied to every message the logger writes. */
export function redactLogText(text: string): string {
  return text
    .replace(TELEGRAM_TOKEN, 'bot$1:***')
    .replace(FAILED_SQL, (_m, verb?: string, table?: string, plain?: string) => `[SQL redacted: ${verb ? `${verb.toLowerCase()} ${table?.replace(/"/g, '')}` : plain!.toLowerCase()}] - `);
}
