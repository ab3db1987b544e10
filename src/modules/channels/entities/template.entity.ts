import { Entity, Property, Unique } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export type TemplateStatus = 'approved' | 'pending' | 'rejected' | 'paused' | 'disabled';

/** A WhatsApp message template as approved (or not) by Meta. */
@Entity({ tableName: 'templates' })
@TenantScoped()
@Unique({ properties: ['channelId', 'name', 'language'] })
export class Template extends TenantEntity {
  @Property({ type: 'uuid' })
  channelId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  language!: string;

  @Property({ type: 'text' })
  category!: string;

  @Property({ type: 'jsonb' })
  components!: unknown[];

  @Property({ type: 'text' })
  status!: TemplateStatus;
}
