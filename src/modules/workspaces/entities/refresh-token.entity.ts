import { Entity, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../infrastructure/database';

/** One row per issued refresh token; rotation links them by family so reuse revokes the lineage. */
@Entity({ tableName: 'refresh_tokens' })
export class RefreshToken extends BaseEntity {
  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when this token was exchanged for a new pair. */
  @Property({ type: 'timestamptz', nullable: true })
  rotatedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
