export { RateLimiter } from './rate-limiter';
export { RateLimitGuard } from './rate-limit.guard';
export { SendPacer } from './send-pacer';
export type { Pace } from './send-pacer';
