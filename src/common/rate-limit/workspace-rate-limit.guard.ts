import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config';
import { refuseOverLimit, report } from './rate-limit-report';
import { RateLimiter } from './rate-limiter';

/**
 * The workspace's shared budget. Runs after WorkspaceGuard, so only the workspace's own members
 * and keys spend it: an outsider hammering its URLs is refused (404) on their own budget and
 * cannot lock the workspace's team out.
 */
@Injectable()
export class WorkspaceRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const workspaceId = req.ctx?.workspaceId;
    if (!workspaceId) return true;
    const state = await this.limiter.hit({ key: `ws:${workspaceId}`, limit: this.config.env.RATE_LIMIT_WORKSPACE_PER_MINUTE, windowMs: 60_000 });
    report(req, context.switchToHttp().getResponse<FastifyReply>(), [state]);
    refuseOverLimit([state]);
    return true;
  }
}
