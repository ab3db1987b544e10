import { randomUUID } from 'node:crypto';
import { waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { INBOUND_CONSUMERS, LEDGER_MAINTENANCE } from '../../src/modules/channels/channels.tokens';
import type { InboundConsumer, InboundConsumerRegistry } from '../../src/modules/channels/inbound-consumer';
import type { LedgerMaintenanceService } from '../../src/modules/channels/ledger/ledger-maintenance.service';
import { connectWhatsapp, postWhatsapp, waitForLedger } from '../utils/channels';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

const DAY_MS = 24 * 3600 * 1000;

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Rejects if `promise` has not settled within `ms` (a hang is a failure, not a slow pass). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Counts consume() calls per ledger event id; idempotent consumers are keyed by provider ids, this one only counts. */
function countingConsumer(name: string, channelIds: Set<string>) {
  const calls = new Map<string, number>();
  const consumer: InboundConsumer = {
    name,
    async consume(event) {
      if (channelIds.has(event.channelId)) calls.set(event.eventId, (calls.get(event.eventId) ?? 0) + 1);
    },
  };
  return { consumer, calls };
}

describe('webhook ledger durability', () => {
  let b: TestApp;
  let owner: Account;
  let maintenance: LedgerMaintenanceService;
  let consumers: InboundConsumerRegistry;

  beforeAll(async () => {
    // App B: the healthy deployment (real Redis), with a short retry schedule for the failure test.
    b = await startApp({ WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_MAX_ATTEMPTS: '3' });
    owner = await signup(b);
    maintenance = b.app.get<LedgerMaintenanceService>(LEDGER_MAINTENANCE);
    consumers = b.app.get<InboundConsumerRegistry>(INBOUND_CONSUMERS);
  });
  afterAll(() => b.close());

  describe('Redis outage', () => {
    it('stores webhooks as pending while Redis is down; the sweeper of a healthy app processes each exactly once', async () => {
      // Same database, so app A sees the channel connected through app B.
      const wa = await connectWhatsapp(b, owner);
      const counting = countingConsumer(`durability-count-${randomUUID()}`, new Set([wa.id]));
      consumers.register(counting.consumer);

      const a = await within(startApp({ REDIS_URL: 'redis://127.0.0.1:1', TEST_REDIS_URL: '' }), 20_000, 'starting app A with Redis down');
      let aClosed = false;
      try {
        const payloads = [waInbound(waText('during the outage 1', `wamid.OUT1${randomUUID()}`)), waInbound(waText('during the outage 2', `wamid.OUT2${randomUUID()}`))];
        for (const payload of payloads) {
          const res = await within(postWhatsapp(a, wa.id, payload, wa.appSecret), 5_000, 'a webhook answer with Redis down');
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ duplicate: false, status: 'pending', eventId: expect.any(String) });
        }
        // A redelivery during the outage is still recognised (dedupe lives in PostgreSQL, not Redis).
        const again = await within(postWhatsapp(a, wa.id, payloads[0], wa.appSecret), 5_000, 'a redelivery with Redis down');
        expect(again.status).toBe(200);
        expect(again.body.duplicate).toBe(true);

        const stored = await sql<{ id: string; status: string; attempts: number }>('select id, status, attempts from webhook_events where channel_id = $1 order by id', [wa.id]);
        expect(stored).toHaveLength(2);
        expect(stored.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);

        await within(a.close(), 10_000, 'closing app A with Redis down');
        aClosed = true;
      } finally {
        if (!aClosed) await a.close().catch(() => undefined);
      }

      // Still pending: nothing was enqueued anywhere.
      expect((await sql<{ status: string }>('select status from webhook_events where channel_id = $1', [wa.id])).map((r) => r.status)).toEqual(['pending', 'pending']);

      expect(await maintenance.sweep(0)).toBeGreaterThanOrEqual(2);
      // A second sweep right away must not produce a second run (job id = event id, and processing skips non-pending rows).
      await maintenance.sweep(0);
      const events = await waitForLedger(b, owner, wa.id, (e) => e.length === 2 && e.every((x) => x.status === 'processed'));
      expect(events.map((e) => e.attempts)).toEqual([1, 1]);
      await maintenance.sweep(0);
      const rows = await sql<{ id: string; status: string; attempts: number }>('select id, status, attempts from webhook_events where channel_id = $1 order by id', [wa.id]);
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['processed', 1],
        ['processed', 1],
      ]);
      expect(Object.fromEntries(counting.calls)).toEqual(Object.fromEntries(rows.map((r) => [r.id, 1])));
    }, 60_000);
  });
});
