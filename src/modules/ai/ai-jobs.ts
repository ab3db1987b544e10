import type { JobOptions } from 'bull';

/**
 * One job per artifact (its id is the artifact id, so a late enqueue and the sweeper's are the same
 * job). The provider retries 429/5xx itself; Bull's attempts cover the rest (database or Redis
 * hiccups, a crashed worker), and the job only ever fills a still `pending` artifact.
 */
export const aiJobOptions = (artifactId: string): JobOptions => ({
  jobId: artifactId,
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: true,
});
