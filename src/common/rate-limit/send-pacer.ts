import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis } from '../../infrastructure/redis/redis.module';

// GCRA: each key keeps a "theoretical arrival time"; a send reserves the next free slot and is
// told how long to wait for it. Atomic in Redis, so every worker shares the same pace.
const SCRIPT = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now) + 1000)
return tat - now`;

export interface Pace {
  key: string;
  perSecond: number;
}

/**
 * Spreads provider calls so bursts queue instead of failing (WhatsApp 80/s per number,
 * Telegram 30/s per bot and 1/s per chat). Returns the delay in ms before the call may go out;
 * the slot is reserved on every listed key, so callers must wait that long before calling.
 */
@Injectable()
export class SendPacer {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async reserve(paces: Pace[], now = Date.now()): Promise<number> {
    let wait = 0;
    for (const pace of paces) {
      const delay = Number(await this.redis.eval(SCRIPT, 1, `pace:${pace.key}`, now + wait, 1000 / pace.perSecond));
      wait += delay;
    }
    return wait;
  }
}
