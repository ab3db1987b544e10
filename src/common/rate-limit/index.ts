export { RateLimiter } from './rate-limiter';
export { RateLimitGuard } from './rate-limit.guard';
