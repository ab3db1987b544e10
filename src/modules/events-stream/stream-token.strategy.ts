import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { EVENTS_STREAM_ROUTE, STREAM_TOKEN_STRATEGY, type Principal } from '../../common/authz';
import { StreamTokensService } from './stream-tokens.service';

/** `?token=` authenticates the event stream and nothing else (tried after the bearer and API-key strategies). */
@Injectable()
export class StreamTokenStrategy extends PassportStrategy(Strategy, STREAM_TOKEN_STRATEGY) {
  constructor(private readonly tokens: StreamTokensService) {
    super();
  }

  async validate(req: FastifyRequest<{ Querystring: { token?: unknown }; Params: { wid?: string } }>): Promise<Principal | false> {
    const token = req.query?.token;
    if (req.routeOptions.url !== EVENTS_STREAM_ROUTE || typeof token !== 'string' || !req.params?.wid) return false;
    return (await this.tokens.resolve(token, req.params.wid)) ?? false;
  }
}
