/**
 * The ingest baseline: a bare node:http server doing what the webhook endpoint must do at minimum:
 * the same HMAC check over the raw bytes, the same ledger INSERT (dedupe CTE) and the same Bull
 * enqueue. The benchmark compares the real endpoint against it.
 */
import Queue from 'bull';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';

const { PORT, DATABASE_URL, REDIS_URL, REDIS_PREFIX, APP_SECRET, CHANNEL_ID, WORKSPACE_ID } = process.env as Record<string, string>;
const pool = new Pool({ connectionString: DATABASE_URL, max: 10 });
const queue = new Queue('webhooks', REDIS_URL, { prefix: `${REDIS_PREFIX}:bull` });

const INSERT = `
  with keys as (
    insert into webhook_dedupe (workspace_id, channel_id, key, event_id, received_at)
    select $5, $1, k, $2, $3 from jsonb_array_elements_text($4::jsonb) as k
    on conflict (workspace_id, channel_id, key) do nothing returning key
  ), ins as (
    insert into webhook_events (id, workspace_id, channel_id, kind, received_at, dedupe_keys, raw_body, status)
    select $2, $5, $1, 'default', $3, array(select jsonb_array_elements_text($4::jsonb)), $6, 'pending'
    where jsonb_array_length($4::jsonb) = 0 or exists (select 1 from keys)
    returning id
  ) select count(*)::int as inserted from ins`;

createServer((req, res) => {
  if (req.method === 'GET') return res.writeHead(200).end('ok');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const raw = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return res.writeHead(401).end();
    try {
      const payload = JSON.parse(raw.toString('utf8'));
      const keys = payload.entry.flatMap((e: any) => e.changes.flatMap((c: any) => (c.value.messages ?? []).map((m: any) => `wa:msg:${m.id}`)));
      const id = uuidv7();
      const receivedAt = new Date();
      const r = await pool.query(INSERT, [CHANNEL_ID, id, receivedAt, JSON.stringify(keys), WORKSPACE_ID, raw.toString('utf8')]);
      if (r.rows[0].inserted) await queue.add('webhook.process', { workspaceId: WORKSPACE_ID, eventId: id, receivedAt }, { jobId: id, removeOnComplete: 1000 });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ eventId: id }));
    } catch {
      res.writeHead(503).end();
    }
  });
}).listen(Number(PORT), '127.0.0.1');
