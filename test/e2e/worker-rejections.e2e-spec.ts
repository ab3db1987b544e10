import { randomUUID } from 'node:crypto';
import type { Queue } from 'bull';
import { startApp, TestApp } from '../utils/test-app';

const until = async (check: () => Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

// Jest fails the running test on any unhandled rejection, so these also prove none leaks.
describe('worker processors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('a job that throws is marked failed and the worker keeps taking jobs', async () => {
    const queue = t.app.get<Queue>('BullQueue_webhooks', { strict: false });
    // An event id the database refuses (not a uuid): processing throws, and so does marking it failed.
    const failing = () => queue.add('webhook.process', { workspaceId: randomUUID(), eventId: `bad-${randomUUID()}`, receivedAt: new Date().toISOString() }, { attempts: 1 });
    for (const job of [await failing(), await failing()]) {
      await until(async () => (await job.getState()) === 'failed');
      expect((await queue.getJob(job.id))?.failedReason).toEqual(expect.any(String));
    }
  });
});
