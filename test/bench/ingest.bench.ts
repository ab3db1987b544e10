/**
 * npm run bench:ingest — signed WhatsApp webhooks against the production build (APP_ROLE=api), beside
 * the bare node:http baseline doing the same signature check, INSERT and enqueue, in the same run.
 */
import autocannon from 'autocannon';
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BENCH_ENV, cleanupRedis, Measured, prepareDatabase, report, startProcess, stop } from './bench-env';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const APP_PORT = 3101;
const BASELINE_PORT = 3102;

function signedBody(appSecret: string, phoneNumberId: string) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Bench' }, wa_id: '4915112345678' }], messages: [{ from: '4915112345678', id: `wamid.${randomUUID()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Grüße — benchmark' } }] } }] }],
  });
  return { body, signature: `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}` };
}

async function measure(name: string, url: string, appSecret: string, phoneNumberId: string): Promise<Measured> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const { body, signature } = signedBody(appSecret, phoneNumberId);
          return { ...req, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
        },
      },
    ],
  });
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

async function main() {
  await prepareDatabase();
  const base = `http://127.0.0.1:${APP_PORT}`;
  const app = await startProcess(join(__dirname, '../../dist/src/main.js'), { PORT: String(APP_PORT), APP_ROLE: 'api', PUBLIC_URL: base }, `${base}/health/live`);
  let baseline;
  try {
    const email = `bench-${randomUUID()}@example.test`;
    const signup = await (await fetch(`${base}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'bench-password-1', name: 'Bench', workspaceName: 'Bench' }) })).json();
    const appSecret = `bench-secret-${randomUUID()}`;
    const phoneNumberId = '106540352242922';
    const channel = await (
      await fetch(`${base}/v1/workspaces/${signup.workspace.id}/channels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${signup.accessToken}` },
        body: JSON.stringify({ type: 'whatsapp', name: 'bench', config: { phoneNumberId, businessAccountId: '102290129340398', accessToken: 'EAAG-bench-token', appSecret } }),
      })
    ).json();
    baseline = await startProcess(
      join(__dirname, 'ingest-baseline-server.ts'),
      { PORT: String(BASELINE_PORT), APP_SECRET: appSecret, CHANNEL_ID: channel.id, WORKSPACE_ID: signup.workspace.id, ...BENCH_ENV },
      `http://127.0.0.1:${BASELINE_PORT}/`,
    );
    // Warm both up, then measure alternately so machine noise hits both alike.
    await measure('warm-up', `http://127.0.0.1:${BASELINE_PORT}/`, appSecret, phoneNumberId);
    await measure('warm-up', `${base}/v1/webhooks/whatsapp/${channel.id}`, appSecret, phoneNumberId);
    const rows = [
      await measure('baseline node:http + pg + bull', `http://127.0.0.1:${BASELINE_PORT}/`, appSecret, phoneNumberId),
      await measure('nanozons POST /v1/webhooks/whatsapp', `${base}/v1/webhooks/whatsapp/${channel.id}`, appSecret, phoneNumberId),
    ];
    report(rows, 'baseline node:http + pg + bull');
  } finally {
    if (baseline) await stop(baseline);
    await stop(app);
    await cleanupRedis();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
