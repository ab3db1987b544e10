import { ArrayType, Entity, Index, Property } from '@mikro-orm/core';
import type { ActorType } from '../../../common/authz';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export type WebhookSubscriptionStatus = 'active' | 'disabled';

@Entity({ tableName: 'webhook_subscriptions' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'id'] })
export class WebhookSubscription extends TenantEntity<'status'> {
  @Property({ type: 'text' })
  url!: string;

  /** Domain event names, or `*` for all of them. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  events!: string[];

  /** SecretBox box of the signing secret. */
  @Property({ type: 'text', hidden: true })
  secret!: string;

  /** The secret before the last rotation, still signing (a second `v1=`) until it expires. */
  @Property({ type: 'text', nullable: true, hidden: true })
  previousSecret?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt?: Date | null;

  @Property({ type: 'text' })
  status: WebhookSubscriptionStatus = 'active';

  @Property({ type: 'text' })
  createdByType!: ActorType;

  @Property({ type: 'text' })
  createdById!: string;

  /** Start of the current run of failed attempts; cleared by any success. */
  @Property({ type: 'timestamptz', nullable: true })
  failingSince?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  disabledAt?: Date | null;
}
