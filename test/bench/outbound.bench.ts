/**
 * npm run bench:outbound — sustained sends through the production build (an API and a worker process, the Postmark
 * sandbox fake as provider, so no per-chat pacing caps the rate), round-robin over 50 conversations:
 * messages accepted by the API per second, received by the provider fake per second (what the fake
 * recorded, not our own bookkeeping), and p95 accept→provider latency (the fake's time of receipt).
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
/** The recorder keeps its latest 2000 requests; reading this often keeps up with far more than the run sends. */
const POLL_MS = 500;

async function json(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${await res.text()}`);
  return res.json();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Linear interpolation between closest ranks, as PostgreSQL's percentile_cont. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (rank - low);
}

interface RecordedRequest {
  seq: number;
  path: string;
  body: { Metadata?: { messageId?: string } } | null;
  status?: number;
  at: string;
}

/**
 * What the Postmark fake (mounted in the API process) received, read through GET /sandbox/requests
 * while the run goes on, since one read at the end would only see the recorder's latest 2000. Each
 * read asks only for what is new, plus the requests still waiting for their answer (to learn it).
 */
class ProviderLog {
  private readonly bySeq = new Map<number, RecordedRequest>();
  private since = 0;

  constructor(private readonly base: string) {}

  async read(): Promise<void> {
    const { data } = (await json(`${this.base}/sandbox/requests?provider=postmark&since=${this.since}`)) as { data: RecordedRequest[] };
    for (const r of data) this.bySeq.set(r.seq, r);
    const resume = data.find((r) => r.status === undefined) ?? data.at(-1);
    if (resume) this.since = Date.parse(resume.at);
  }

  /** Reads every POLL_MS until `done` settles, then once more. */
  async follow(done: Promise<unknown>): Promise<void> {
    let finished = false;
    const finish = () => (finished = true);
    done.then(finish, finish);
    while (!finished) {
      await this.read();
      await sleep(POLL_MS);
    }
    await this.read();
  }

  /**
   * Our message id → when the fake first received it and answered 2xx. Throws if requests went
   * unseen: the run's only provider traffic is Postmark's, so the recorder's seq numbers 1…n are all
   * of them, and a missing one was dropped before a read got to it.
   */
  receivedAt(): Map<string, number> {
    const unseen = [...this.bySeq.keys()].reduce((max, seq) => Math.max(max, seq), 0) - this.bySeq.size;
    if (unseen > 0) throw new Error(`${unseen} provider requests were dropped by the sandbox recorder before they were read`);
    const received = new Map<string, number>();
    for (const r of [...this.bySeq.values()].sort((a, b) => a.seq - b.seq)) {
      const id = r.body?.Metadata?.messageId;
      if (!r.path.startsWith('/sandbox/postmark/email') || !id || !r.status || r.status >= 300 || received.has(id)) continue;
      received.set(id, Date.parse(r.at));
    }
    return received;
  }
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
    { ...providerEnv, PORT: String(PORT), APP_ROLE: 'api', RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_WORKSPACE_PER_MINUTE: '10000000' },
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

    const started = Date.now();
    const providerLog = new ProviderLog(base);
    const run = (async () => {
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
      // Let the queue drain before the last read of what the provider received.
      const deadline = Date.now() + 120_000;
      let pending = Infinity;
      while (pending > 0 && Date.now() < deadline) {
        pending = Number((await db.query("select count(*) from messages where workspace_id = $1 and direction = 'outbound' and status = 'queued'", [wid])).rows[0].count);
        if (pending > 0) await sleep(500);
      }
      return { result, pending };
    })();
    const [, { result, pending }] = await Promise.all([providerLog.follow(run), run]);
    const accepted = result['2xx'];

    const acceptedAt = new Map<string, number>(
      (await db.query<{ id: string; created_at: Date }>("select id, created_at from messages where workspace_id = $1 and direction = 'outbound'", [wid])).rows.map((m) => [
        m.id,
        m.created_at.getTime(),
      ]),
    );
    const receipts = [...providerLog.receivedAt()].filter(([id]) => acceptedAt.has(id));
    const received = receipts.length;
    const spanS = (receipts.reduce((last, [, at]) => Math.max(last, at), started) - started) / 1000;
    const latencies = receipts.map(([id, at]) => at - acceptedAt.get(id)!).sort((a, b) => a - b);
    const lines = [
      `accepted by the API      ${(accepted / DURATION).toFixed(0).padStart(6)} msg/s  (${accepted} in ${DURATION} s, ${result.non2xx} non-2xx, accept p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)`,
      `received by the provider ${(received / spanS).toFixed(0).padStart(6)} msg/s  (${received} received in ${spanS.toFixed(1)} s, ${pending} still queued)`,
      `accept→provider latency  p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms`,
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
