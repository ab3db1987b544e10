export { UsageMeter, USAGE_METRICS, USAGE_SAMPLE_EVENT } from './usage-meter';
export type { UsageMetric, UsageSample } from './usage-meter';
