/**
 * npm run bench:outbound — sustained sends through the production build (an API and a worker process, the Postmark
 * sandbox fake as provider, so no per-chat pacing caps the rate), round-robin over 50 conversations:
 * messages accepted by the API per second, received by the provider fake per second, and p95
 * accept→provider latency.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { BENCH_ENV, cleanupRedis, prepareDatabase, startProcess, stop } from './bench-env';

const DURATION = Number(process.env.BENCH_DURATION ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const PORT = 3103;
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 50);

async function json(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${await res.text()}`);
  return res.json();
}

async function main() {
  await prepareDatabase();
  const base = `http://127.0.0.1:${PORT}`;
  const providerEnv = {
    SANDBOX: 'true',
    PUBLIC_URL: base,
    POSTMARK_API_URL: `${base}/sandbox/postmark`,
    WHATSAPP_API_URL: `${base}/sandbox/graph`,
    TELEGRAM_API_URL: `${base}/sandbox/telegram`,
  };
  // As deployed: one API process and one worker process (the machine has two cores).
  const app = await startProcess(
    join(__dirname, '../../dist/src/main.js'),
    {
      PORT: String(PORT),
      APP_ROLE: 'api',
      SANDBOX: 'true',
      PUBLIC_URL: base,
      POSTMARK_API_URL: `${base}/sandbox/postmark`,
      WHATSAPP_API_URL: `${base}/sandbox/graph`,
      TELEGRAM_API_URL: `${base}/sandbox/telegram`,
      RATE_LIMIT_PER_MINUTE: '10000000',
      RATE_LIMIT_WORKSPACE_PER_MINUTE: '10000000',
    },
    `${base}/health/live`,
  );
  const worker = await startProcess(join(__dirname, '../../dist/src/main.js'), { ...providerEnv, PORT: String(PORT + 1), APP_ROLE: 'worker' }, `http://127.0.0.1:${PORT + 1}/health/live`);
  const db = new Client({ connectionString: BENCH_ENV.DATABASE_URL });
  await db.connect();
  try {
    const signup = await json(`${base}/v1/auth/signup`, { method: 'POST', body: JSON.stringify({ email: `bench-${randomUUID()}@example.test`, password: 'bench-password-1', name: 'Bench', workspaceName: 'Bench' }) });
    const auth = { authorization: `Bearer ${signup.accessToken}` };
    const wid = signup.workspace.id;
    const channel = await json(`${base}/v1/workspaces/${wid}/channels`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'email', name: 'bench', config: { serverToken: 'pm-bench-token', fromAddress: 'support@acme.example', inboundAddress: 'support@inbound.acme.example' } }),
    });
    // Agents answer many customers at once; sends within one conversation serialize on its row.
    for (let i = 0; i < CONVERSATIONS; i++) {
      await json(`${base}/sandbox/channels/${channel.id}/inbound`, { method: 'POST', body: JSON.stringify({ from: `customer${i}@bench.example`, text: 'Hello' }) });
    }
    let conversationIds: string[] = [];
    for (let i = 0; i < 200 && conversationIds.length < CONVERSATIONS; i++) {
      conversationIds = (await json(`${base}/v1/workspaces/${wid}/conversations?limit=200`, { headers: auth })).data.map((c: { id: string }) => c.id);
      if (conversationIds.length < CONVERSATIONS) await new Promise((r) => setTimeout(r, 100));
    }
    if (conversationIds.length < CONVERSATIONS) throw new Error('the inbound messages did not all become conversations');
    let next = 0;

    const started = new Date();
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: `/v1/workspaces/${wid}/conversations/${conversationIds[next++ % conversationIds.length]}/messages`,
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ text: 'Your order #1042 ships tomorrow.' }),
          }),
        },
      ],
    });
    const accepted = result['2xx'];

    // Let the queue drain, then read accept→provider times from the attempts.
    const deadline = Date.now() + 120_000;
    let pending = Infinity;
    while (pending > 0 && Date.now() < deadline) {
      pending = Number((await db.query("select count(*) from messages where workspace_id = $1 and direction = 'outbound' and status = 'queued'", [wid])).rows[0].count);
      if (pending > 0) await new Promise((r) => setTimeout(r, 500));
    }
    const stats = (
      await db.query(
        `select count(*)::int as sent,
                extract(epoch from max(a.finished_at) - $2::timestamptz) as span_s,
                percentile_cont(0.5) within group (order by extract(epoch from a.finished_at - m.created_at)) * 1000 as p50_ms,
                percentile_cont(0.95) within group (order by extract(epoch from a.finished_at - m.created_at)) * 1000 as p95_ms
         from messages m join message_attempts a on a.message_id = m.id and a.outcome = 'sent'
         where m.workspace_id = $1 and m.direction = 'outbound'`,
        [wid, started],
      )
    ).rows[0];
    const lines = [
      `accepted by the API      ${(accepted / DURATION).toFixed(0).padStart(6)} msg/s  (${accepted} in ${DURATION} s, ${result.non2xx} non-2xx, accept p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)`,
      `received by the provider ${(stats.sent / Number(stats.span_s)).toFixed(0).padStart(6)} msg/s  (${stats.sent} sent in ${Number(stats.span_s).toFixed(1)} s, ${pending} still queued)`,
      `accept→provider latency  p50 ${Number(stats.p50_ms).toFixed(0)} ms, p95 ${Number(stats.p95_ms).toFixed(0)} ms`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    await db.end();
    await stop(worker);
    await stop(app);
    await cleanupRedis();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
