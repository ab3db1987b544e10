import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUuid } from '../../../common/authz';
import { UnauthorizedError } from '../../../common/errors';
import { newId } from '../../../infrastructure/database';
import { RefreshToken } from '../entities/refresh-token.entity';
import { RevokedSessions } from './revoked-sessions';
import { matchesHash, randomToken, sha256 } from './secret-token';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface TokenFamily {
  userId: string;
  familyId: string;
}

/** A rotation either issues the next pair or reports the reused family it just revoked (for the audit log). */
export type RotateResult = { pair: TokenPair; reused?: undefined } | { reused: TokenFamily; pair?: undefined };

/** Short-lived access JWTs and rotating refresh tokens (`<id>.<secret>`, only a hash stored). */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly em: EntityManager,
    private readonly revoked: RevokedSessions,
  ) {}

  async issue(userId: string, familyId: string = newId()): Promise<TokenPair> {
    const secret = randomToken();
    const row = this.em.create(RefreshToken, {
      familyId,
      userId,
      tokenHash: sha256(secret),
      expiresAt: new Date(Date.now() + REFRESH_TTL_MS),
    });
    await this.em.persistAndFlush(row);
    const accessToken = await this.jwt.signAsync({ sub: userId, typ: 'access', sid: familyId });
    return { accessToken, refreshToken: `${row.id}.${secret}`, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Exchanges a refresh token for a new pair; presenting an already rotated one revokes its whole family. */
  async rotate(presented: string): Promise<RotateResult> {
    const row = await this.find(presented);
    const family = { userId: row.userId, familyId: row.familyId };
    if (row.rotatedAt || row.revokedAt) {
      await this.revokeFamily(row.familyId);
      return { reused: family };
    }
    if (row.expiresAt < new Date()) throw new UnauthorizedError('The refresh token has expired.');
    const rotated = await this.em.nativeUpdate(RefreshToken, { id: row.id, rotatedAt: null, revokedAt: null }, { rotatedAt: new Date() });
    // A concurrent rotation won the race: treat this as reuse.
    if (rotated === 0) {
      await this.revokeFamily(row.familyId);
      return { reused: family };
    }
    return { pair: await this.issue(row.userId, row.familyId) };
  }

  async revoke(presented: string): Promise<TokenFamily> {
    const row = await this.find(presented);
    await this.revokeFamily(row.familyId);
    return { userId: row.userId, familyId: row.familyId };
  }

  private async find(presented: string): Promise<RefreshToken> {
    const [id, secret] = presented.split('.');
    const uuid = id && isUuid(id) ? id : undefined;
    const row = uuid ? await this.em.findOne(RefreshToken, { id: uuid }) : null;
    if (!row || !secret || !matchesHash(secret, row.tokenHash)) throw new UnauthorizedError('Invalid refresh token.');
    return row;
  }

  private async revokeFamily(familyId: string) {
    await this.em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
    await this.revoked.revoke(familyId, ACCESS_TOKEN_TTL_SECONDS);
  }
}
