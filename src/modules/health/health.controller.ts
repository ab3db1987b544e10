import { MikroORM } from '@mikro-orm/core';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { Public } from '../../common/authz';
import { InjectRedis } from '../../infrastructure/redis/redis.module';
import { metricsRegistry } from '../../infrastructure/metrics/metrics';

const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** Terminus' answer: `{status, info, error, details}`, each check keyed by name (`postgres`, `redis`). */
const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    info: { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } } } },
    error: { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } } } },
    details: { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } } } },
  },
  example: { status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } }, error: {}, details: { postgres: { status: 'up' }, redis: { status: 'up' } } },
};

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly orm: MikroORM,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'The process is running.', schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer within 1.5 s' })
  @ApiOkResponse({ description: 'PostgreSQL and Redis answer.', schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'PostgreSQL or Redis is unreachable (the same body, `status: error`).', schema: HEALTH_SCHEMA })
  ready() {
    return this.health.check([() => this.ping('postgres', () => this.orm.em.getConnection().execute('select 1')), () => this.ping('redis', () => this.redis.ping())]);
  }

  @Get('metrics')
  @Header('content-type', METRICS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics: default process metrics and an HTTP duration histogram by route and status' })
  @ApiProduces(METRICS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition format.', content: { [METRICS_CONTENT_TYPE]: { schema: { type: 'string' } } } })
  metrics() {
    return metricsRegistry.metrics();
  }

  private async ping(key: string, fn: () => Promise<unknown>) {
    const check = this.indicator.check(key);
    try {
      await withTimeout(fn(), 1500);
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }
}
