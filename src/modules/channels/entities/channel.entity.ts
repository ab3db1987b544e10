import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import type { ChannelType } from '../adapters';

export type ChannelStatus = 'active' | 'disconnected';

@Entity({ tableName: 'channels' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'id'] })
export class Channel extends TenantEntity<'status'> {
  @Property({ type: 'text' })
  type!: ChannelType;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  status: ChannelStatus = 'active';

  /** Non-secret configuration (addresses, ids, bot username). */
  @Property({ type: 'jsonb' })
  config!: Record<string, string | number>;

  /** AES-256-GCM box (key id inside) of the provider secrets and generated webhook credentials. */
  @Property({ type: 'text', hidden: true })
  secrets!: string;

  @Property({ type: 'timestamptz', nullable: true })
  disconnectedAt?: Date | null;
}
