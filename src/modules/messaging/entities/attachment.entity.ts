import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

/** A file of a message, kept in file storage under `storageKey`. */
@Entity({ tableName: 'attachments' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'messageId'] })
export class Attachment extends TenantEntity {
  @Property({ type: 'uuid' })
  messageId!: string;

  @Property({ type: 'text' })
  filename!: string;

  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'integer' })
  size!: number;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'text', hidden: true })
  storageKey!: string;
}
