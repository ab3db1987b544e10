import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process: default process metrics plus HTTP latency by route and status. */
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
