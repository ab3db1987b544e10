import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bull';
import { QueueRegistry } from '../queues/queue-registry';
import { jobDuration, onQueueDepthScrape } from './metrics';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'] as const;

/** Queue depths read from Redis at scrape time, and the run time of every job this process ran. */
@Injectable()
export class QueueMetrics implements OnApplicationBootstrap {
  constructor(private readonly registry: QueueRegistry) {}

  onApplicationBootstrap() {
    const queues = this.registry.all();
    for (const queue of queues) {
      const observe = (outcome: 'completed' | 'failed') => (job: Job) => {
        if (job.processedOn && job.finishedOn) jobDuration.observe({ queue: queue.name, job: job.name, outcome }, (job.finishedOn - job.processedOn) / 1000);
      };
      queue.on('completed', observe('completed'));
      queue.on('failed', observe('failed'));
    }
    onQueueDepthScrape(async (gauge) => {
      await Promise.all(
        queues.map(async (queue) => {
          // A Redis outage must not fail the whole scrape; the gauge is then absent for the queue.
          const counts = await queue.getJobCounts().catch(() => undefined);
          if (counts) for (const state of STATES) gauge.set({ queue: queue.name, state }, (counts as unknown as Record<string, number>)[state] ?? 0);
        }),
      );
    });
  }
}
