import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../../config';
import type { Principal } from '../../../common/authz';
import { AccessClaims, isAccessToken } from './access-claims';
import { RevokedSessions } from './revoked-sessions';

/** People: `Authorization: Bearer <access JWT>`, HS256 only (so `alg: none` and key confusion fail). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly revoked: RevokedSessions,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtKey as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessClaims): Promise<Principal | false> {
    if (!isAccessToken(payload) || (await this.revoked.isRevoked(payload.sid))) return false;
    return { type: 'user', id: payload.sub, userId: payload.sub };
  }
}
