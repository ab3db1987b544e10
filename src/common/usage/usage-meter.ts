import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

/** Every usage counter; the usage module aggregates them per workspace and day. */
export const USAGE_METRICS = [
  'messages_in',
  'messages_out',
  'delivery_failures',
  'api_calls',
  'ai_requests',
  'ai_failures',
  'ai_tokens_in',
  'ai_tokens_out',
  'ai_latency_ms',
  'ai_drafts_approved_unedited',
  'ai_drafts_approved_edited',
  'ai_drafts_discarded',
] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export interface UsageSample {
  workspaceId: string;
  metric: UsageMetric;
  amount: number;
  /** A breakdown key, e.g. the channel type of `messages_in`. */
  dimension?: string;
  at: Date;
}

/** In-process bus event carrying one sample; the usage module batches them (never one INSERT each). */
export const USAGE_SAMPLE_EVENT = 'usage.sample';

/**
 * Where modules count usage without importing the usage module. Recording is fire-and-forget and
 * never fails the caller's work.
 */
@Injectable()
export class UsageMeter {
  constructor(private readonly emitter: EventEmitter2) {}

  record(workspaceId: string, metric: UsageMetric, amount = 1, dimension?: string): void {
    const sample: UsageSample = { workspaceId, metric, amount, dimension, at: new Date() };
    try {
      this.emitter.emit(USAGE_SAMPLE_EVENT, sample);
    } catch {
      // Usage is best effort: a failing listener must not fail a send or a request.
    }
  }
}
