import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export const ATTEMPT_OUTCOMES = ['started', 'sent', 'failed', 'retry'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * One provider call for an outbound message. Written as `started` (and committed) before the call,
 * so a worker killed mid-call leaves a visible trace rather than nothing.
 */
@Entity({ tableName: 'message_attempts' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'messageId'] })
export class MessageAttempt extends TenantEntity {
  @Property({ type: 'uuid' })
  messageId!: string;

  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Property({ type: 'text' })
  outcome!: AttemptOutcome;

  @Property({ type: 'text', nullable: true })
  errorCode?: string | null;

  @Property({ type: 'text', nullable: true })
  errorMessage?: string | null;
}
