import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../../config';
import type { Principal } from '../../../common/authz';
import { AccessClaims, isAccessToken } from './access-claims';

/** People: `Authorization: Bearer <access JWT>`, HS256 only (so `alg: none` and key confusion fail). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtKey as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(payload: AccessClaims): Principal | false {
    if (!isAccessToken(payload)) return false;
    return { type: 'user', id: payload.sub, userId: payload.sub };
  }
}
