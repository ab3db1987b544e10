import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { QUEUES } from '../../src/common/queues';
import { INBOUND_CONSUMERS, LEDGER_MAINTENANCE } from '../../src/modules/channels/channels.tokens';
import type { InboundConsumer, InboundConsumerRegistry } from '../../src/modules/channels/inbound-consumer';
import type { LedgerMaintenanceService } from '../../src/modules/channels/ledger/ledger-maintenance.service';
import { connectWhatsapp, postWhatsapp, waitForLedger } from '../utils/channels';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { TcpGate } from '../utils/tcp-gate';
import { startApp, TestApp } from '../utils/test-app';

const DAY_MS = 24 * 3600 * 1000;

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

      // An API process: Bull processors whose Redis never answered reject unhandled when the app closes
      // (@nestjs/bull drops the promise of queue.process), which jest would pin on this test.
      const a = await within(startApp({ APP_ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:1', TEST_REDIS_URL: '' }), 20_000, 'starting app A with Redis down');
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
      const pending = await sql<{ status: string; received_at: Date }>('select status, received_at from webhook_events where channel_id = $1', [wa.id]);
      expect(pending.map((r) => r.status)).toEqual(['pending', 'pending']);

      // The sweeper of the healthy app. Test suites share this database, so rather than sweep(0) (which would
      // also grab other suites' in-flight rows and process them in this app, racing their own worker), the
      // threshold is set just under the age of this test's rows: every row at least as stale as ours.
      const stale = () => Date.now() - Math.max(...pending.map((r) => r.received_at.getTime())) - 100;
      expect(stale()).toBeGreaterThan(0);
      expect(await maintenance.sweep(stale())).toBeGreaterThanOrEqual(2);
      // A second sweep right away must not produce a second run (job id = event id, and processing skips non-pending rows).
      await maintenance.sweep(stale());
      const events = await waitForLedger(b, owner, wa.id, (e) => e.length === 2 && e.every((x) => x.status === 'processed'));
      expect(events.map((e) => e.attempts)).toEqual([1, 1]);
      await maintenance.sweep(stale());
      const rows = await sql<{ id: string; status: string; attempts: number }>('select id, status, attempts from webhook_events where channel_id = $1 order by id', [wa.id]);
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['processed', 1],
        ['processed', 1],
      ]);
      expect(Object.fromEntries(counting.calls)).toEqual(Object.fromEntries(rows.map((r) => [r.id, 1])));
    }, 60_000);

    it('a worker registers its sweepers once Redis is back, and again after a Redis restart that kept nothing', async () => {
      const gate = await TcpGate.start({ host: '127.0.0.1', port: Number(new URL(process.env.REDIS_URL!).port || 6379) });
      const prefix = `${process.env.REDIS_PREFIX}gate${randomUUID().slice(0, 8)}`;
      const redis = new Redis(process.env.REDIS_URL!);
      const repeatable = async () =>
        Object.fromEntries(
          await Promise.all(['webhooks', 'outbound', 'maintenance', 'privacy'].map(async (q) => [q, (await redis.zrange(`${prefix}:bull:${q}:repeat`, 0, -1)).length])),
        );
      try {
        const a = await within(startApp({ REDIS_URL: `redis://127.0.0.1:${gate.port}`, TEST_REDIS_URL: '', REDIS_PREFIX: prefix }), 10_000, 'starting a worker with Redis down');
        try {
          await new Promise((r) => setTimeout(r, 1500));
          expect(await repeatable()).toEqual({ webhooks: 0, outbound: 0, maintenance: 0, privacy: 0 });
          // Webhook sweep; outbound sweep; ledger retention, snooze wake-up, idempotency purge,
          // privacy retention and closed-workspace purge; the privacy jobs' sweep.
          const all = { webhooks: 1, outbound: 1, maintenance: 5, privacy: 1 };
          const registered = async () => {
            const deadline = Date.now() + 20_000;
            let seen = await repeatable();
            while (Date.now() < deadline && JSON.stringify(seen) !== JSON.stringify(all)) {
              await new Promise((r) => setTimeout(r, 200));
              seen = await repeatable();
            }
            return seen;
          };
          gate.open();
          expect(await registered()).toEqual(all);

          // Restarts of a Redis without persistence: connections drop and every key is gone. Twice,
          // so the second cannot be covered by a start-up retry still under way.
          for (const restart of [1, 2]) {
            gate.shut();
            const keys = await redis.keys(`${prefix}:bull:*`);
            if (keys.length) await redis.del(...keys);
            expect({ restart, ...(await repeatable()) }).toEqual({ restart, webhooks: 0, outbound: 0, maintenance: 0, privacy: 0 });
            gate.open();
            expect({ restart, ...(await registered()) }).toEqual({ restart, ...all });
          }
        } finally {
          await within(a.close(), 10_000, 'closing the worker');
        }
      } finally {
        redis.disconnect();
        await gate.close();
      }
    }, 60_000);
  });

  describe('sweeper and kept jobs', () => {
    it('re-runs a pending row whose finished job Bull still keeps under the event id', async () => {
      const wa = await connectWhatsapp(b, owner);
      const res = await postWhatsapp(b, wa.id, waInbound(waText('processed, then lost', `wamid.KEPT${randomUUID()}`)), wa.appSecret).expect(200);
      const eventId = res.body.eventId as string;
      const [event] = await waitForLedger(b, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed');
      // removeOnComplete keeps the finished job, so a plain re-add with jobId = eventId would be a no-op.
      const queue = b.app.get<Queue>(getQueueToken(QUEUES.webhooks));
      const kept = await queue.getJob(eventId);
      await within(kept!.finished(), 5_000, 'the first job finishing');
      expect(await kept!.getState()).toBe('completed');

      // The row is pending again as if its effect had been lost (e.g. a crash before the status update).
      await sql("update webhook_events set status = 'pending', reason = null, processed_at = null where id = $1", [eventId]);
      expect(await maintenance.sweep(Math.max(0, Date.now() - new Date(event.receivedAt).getTime() - 100))).toBeGreaterThanOrEqual(1);

      const [again] = await waitForLedger(b, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed' && e[0].attempts === 2);
      expect(again.id).toBe(eventId);
    });
  });

  describe('retention', () => {
    interface Partition {
      name: string;
      lower: Date;
      upper: Date;
    }
    const partitions = async (): Promise<Partition[]> =>
      (
        await sql<{ name: string; bound: string }>(
          `select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
           from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
           where p.relname = 'webhook_events'`,
        )
      ).map(({ name, bound }) => {
        const [, lower, upper] = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(bound) ?? [];
        return { name, lower: new Date(lower), upper: new Date(upper) };
      });

    it('drops whole expired partitions, deletes older rows and dedupe keys, keeps the last 90 days', async () => {
      const wa = await connectWhatsapp(b, owner);
      const now = new Date();
      const cutoff = new Date(now.getTime() - 90 * DAY_MS);
      const ages = [200, 95, 91, 89, 10];
      const seeded = ages.map((age) => ({ age, id: randomUUID(), wamid: `wamid.RET${age}-${randomUUID()}`, at: new Date(now.getTime() - age * DAY_MS) }));

      await sql('select ensure_webhook_event_partitions($1::date, $2)', [seeded[0].at.toISOString().slice(0, 10), 8]);
      for (const row of seeded) {
        const key = `wa:msg:${row.wamid}`;
        await sql(
          `insert into webhook_events (id, workspace_id, channel_id, kind, received_at, dedupe_keys, raw_body, status, processed_at)
           values ($1, $2, $3, 'default', $4, array[$5], $6, 'processed', $4)`,
          [row.id, owner.workspaceId, wa.id, row.at, key, JSON.stringify(waInbound(waText(`${row.age} days old`, row.wamid)))],
        );
        await sql('insert into webhook_dedupe (workspace_id, channel_id, key, event_id, received_at) values ($1, $2, $3, $4, $5)', [owner.workspaceId, wa.id, key, row.id, row.at]);
      }

      const before = await partitions();
      const containing = (at: Date, list: Partition[]) => list.find((p) => p.lower <= at && at < p.upper);
      const oldest = containing(seeded[0].at, before);
      expect(oldest).toBeDefined();
      expect(oldest!.upper.getTime()).toBeLessThanOrEqual(cutoff.getTime());
      const expired = before.filter((p) => p.upper <= cutoff).map((p) => p.name);
      // Rows older than the cutoff that sit in a partition straddling it must be deleted row by row.
      const straddling = seeded.filter((r) => r.at < cutoff && !expired.includes(containing(r.at, before)!.name));

      const result = await maintenance.retention(now);

      expect(result.droppedPartitions).toEqual(expect.arrayContaining(expired));
      const after = await partitions();
      expect(after.filter((p) => p.upper <= cutoff)).toEqual([]);
      expect(after.map((p) => p.name)).not.toContain(oldest!.name);
      for (const r of seeded.filter((x) => x.at >= cutoff)) expect(containing(r.at, after)).toBeDefined();
      // Partitions ahead exist for this month and the next two.
      for (const m of [0, 1, 2]) {
        const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 15));
        expect(containing(ahead, after)).toBeDefined();
      }
      expect(result.deletedRows).toBeGreaterThanOrEqual(straddling.length);
      expect(result.deletedKeys).toBeGreaterThanOrEqual(seeded.filter((r) => r.at < cutoff).length);

      const rows = await sql<{ id: string }>('select id from webhook_events where channel_id = $1', [wa.id]);
      expect(rows.map((r) => r.id).sort()).toEqual(seeded.filter((r) => r.age < 90).map((r) => r.id).sort());
      const keys = await sql<{ key: string }>('select key from webhook_dedupe where channel_id = $1', [wa.id]);
      expect(keys.map((k) => k.key).sort()).toEqual(seeded.filter((r) => r.age < 90).map((r) => `wa:msg:${r.wamid}`).sort());

      // Behaviourally: a redelivery of a forgotten (200-day-old) event is new again; a 10-day-old one is still a duplicate.
      const forgotten = await postWhatsapp(b, wa.id, waInbound(waText('200 days old', seeded[0].wamid)), wa.appSecret).expect(200);
      expect(forgotten.body.duplicate).toBe(false);
      const remembered = await postWhatsapp(b, wa.id, waInbound(waText('10 days old', seeded[4].wamid)), wa.appSecret).expect(200);
      expect(remembered.body.duplicate).toBe(true);
      await waitForLedger(b, owner, wa.id, (e) => e.length === 3 && e.some((x) => x.id === forgotten.body.eventId && x.status === 'processed'));

      // Running retention again changes nothing that is still inside the window.
      await maintenance.retention(now);
      expect((await sql('select id from webhook_events where channel_id = $1', [wa.id])).length).toBe(3);
    });
  });

  describe('processing failure', () => {
    it('retries with backoff, then marks the row failed with the error; the sweeper leaves it alone', async () => {
      const wa = await connectWhatsapp(b, owner);
      consumers.register({
        name: `failing-${randomUUID()}`,
        async consume(event) {
          if (event.channelId === wa.id) throw new Error('downstream exploded: conversations store unavailable');
        },
      });
      const res = await postWhatsapp(b, wa.id, waInbound(waText('this one will fail', `wamid.FAIL${randomUUID()}`)), wa.appSecret).expect(200);
      expect(res.body.status).toBe('pending');

      // WEBHOOK_MAX_ATTEMPTS=3 and WEBHOOK_RETRY_BASE_MS=50 on app B.
      const [event] = await waitForLedger(b, owner, wa.id, (e) => e.length === 1 && e[0].status === 'failed', 20_000);
      expect(event).toMatchObject({ id: res.body.eventId, status: 'failed', attempts: 3, reason: expect.stringContaining('downstream exploded: conversations store unavailable') });
      expect(event.processedAt).toEqual(expect.any(String));

      // Failed rows are not `pending`, so the sweeper does not resurrect them (threshold: no younger than this row).
      await maintenance.sweep(Math.max(0, Date.now() - new Date(event.receivedAt).getTime() - 100));
      const failed = await waitForLedger(b, owner, wa.id, (e) => e.length === 1);
      expect(failed[0]).toMatchObject({ status: 'failed', attempts: 3 });
      const stored = await sql<{ status: string; attempts: number }>('select status, attempts from webhook_events where id = $1', [res.body.eventId]);
      expect(stored).toEqual([{ status: 'failed', attempts: 3 }]);
    }, 30_000);
  });
});
