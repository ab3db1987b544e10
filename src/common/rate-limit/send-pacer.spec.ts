import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { SendPacer } from './send-pacer';

describe('SendPacer (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL!, { keyPrefix: `${process.env.REDIS_PREFIX}:` });
  const pacer = new SendPacer(redis);
  afterAll(() => redis.quit());

  it('spaces a burst at the configured rate instead of letting it through at once', async () => {
    const key = `test:${randomUUID()}`;
    const now = Date.now();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) delays.push(await pacer.reserve([{ key, perSecond: 5 }], now));
    expect(delays).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('frees slots as time passes', async () => {
    const key = `test:${randomUUID()}`;
    const now = Date.now();
    await pacer.reserve([{ key, perSecond: 1 }], now);
    expect(await pacer.reserve([{ key, perSecond: 1 }], now + 5000)).toBe(0);
  });

  it('honours the tightest of several paces (per bot and per chat)', async () => {
    const bot = `test:${randomUUID()}`;
    const chat = `test:${randomUUID()}`;
    const now = Date.now();
    expect(await pacer.reserve([{ key: bot, perSecond: 30 }, { key: chat, perSecond: 1 }], now)).toBe(0);
    const second = await pacer.reserve([{ key: bot, perSecond: 30 }, { key: chat, perSecond: 1 }], now);
    expect(second).toBeGreaterThanOrEqual(1000);
    // Another chat of the same bot is only held by the bot's pace.
    expect(await pacer.reserve([{ key: bot, perSecond: 30 }, { key: `${chat}-2`, perSecond: 1 }], now)).toBeLessThan(100);
  });
});
