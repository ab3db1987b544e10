export { RateLimiter } from './rate-limiter';
export { RateLimitCaller } from './rate-limit-caller';
export { RateLimitGuard } from './rate-limit.guard';
export { WorkspaceRateLimitGuard } from './workspace-rate-limit.guard';
export { PreGuardRateLimitHook } from './pre-guard-rate-limit.hook';
export { SendPacer } from './send-pacer';
export type { Pace } from './send-pacer';
export { FailedAuthLimit } from './failed-auth-limit';
