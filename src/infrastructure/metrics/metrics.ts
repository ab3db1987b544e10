import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process: default process metrics, HTTP latency by route and status, queues and integrations. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route template and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Rows (or partitions, files) each retention sweep removed; `sweep` names the data kept for a limited time. */
export const retentionRemoved = new Counter({
  name: 'retention_removed_total',
  help: 'Records removed by retention sweeps, by sweep',
  labelNames: ['sweep'] as const,
  registers: [metricsRegistry],
});

/** When each retention sweep last finished (unix seconds), so a stalled sweep is visible. */
export const retentionLastRun = new Gauge({
  name: 'retention_last_run_timestamp_seconds',
  help: 'Unix time of the last completed run of each retention sweep',
  labelNames: ['sweep'] as const,
  registers: [metricsRegistry],
});

/** Counts one finished retention sweep in /metrics. */
export function reportSweep(sweep: string, removed: number): void {
  retentionRemoved.inc({ sweep }, removed);
  retentionLastRun.set({ sweep }, Date.now() / 1000);
}

export const webhookDeliveryOutcomes = new Counter({
  name: 'webhook_delivery_attempts_total',
  help: 'Outbound webhook delivery attempts by outcome (succeeded, retried, failed)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const webhookIngestOutcomes = new Counter({
  name: 'webhook_ingest_total',
  help: 'Provider webhooks received by provider and outcome (stored, duplicate, ignored, invalid_signature, unavailable)',
  labelNames: ['provider', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const outboundOutcomes = new Counter({
  name: 'outbound_attempts_total',
  help: 'Outbound provider calls by provider, outcome (sent, retry, failed) and error class (the provider error code, or none)',
  labelNames: ['provider', 'outcome', 'error_class'] as const,
  registers: [metricsRegistry],
});

/** Fills `queueDepth` at scrape time (set by QueueMetrics once the queues exist). */
let readQueueDepths: ((gauge: Gauge<'queue' | 'state'>) => Promise<void>) | undefined;
export const onQueueDepthScrape = (reader: typeof readQueueDepths) => (readQueueDepths = reader);

export const queueDepth = new Gauge({
  name: 'queue_jobs',
  help: 'Bull jobs by queue and state, read from Redis at scrape time',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await readQueueDepths?.(this);
  },
});

export const jobDuration = new Histogram({
  name: 'queue_job_duration_seconds',
  help: 'Bull job run time by queue, job name and outcome (completed, failed: a retry or the last failure)',
  labelNames: ['queue', 'job', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
  registers: [metricsRegistry],
});
