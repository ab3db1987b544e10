import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UnauthorizedError } from '../../../common/errors';
import { AccessClaims, isAccessToken } from './access-claims';
import { RevokedSessions } from './revoked-sessions';

/** Optional authentication for public routes that behave differently for a signed-in person. */
@Injectable()
export class AccessTokenReader {
  constructor(
    private readonly jwt: JwtService,
    private readonly revoked: RevokedSessions,
  ) {}

  async userIdFrom(authorization: string | undefined): Promise<string | undefined> {
    if (!authorization) return undefined;
    const token = /^Bearer (.+)$/i.exec(authorization)?.[1];
    try {
      const payload = await this.jwt.verifyAsync<AccessClaims>(token ?? '', { algorithms: ['HS256'] });
      if (isAccessToken(payload) && !(await this.revoked.isRevoked(payload.sid))) return payload.sub;
    } catch {
      // fall through: a bad token on this route is an error, not an anonymous call
    }
    throw new UnauthorizedError('Invalid bearer token.');
  }
}
