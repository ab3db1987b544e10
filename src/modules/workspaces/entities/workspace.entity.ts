import { Entity, Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../infrastructure/database';

export interface WorkspaceSettings {
  aiEnabled: boolean;
  /** Mask emails, phone numbers and other identifiers before an external AI provider sees them; absent = on. */
  aiMaskIdentifiers?: boolean;
  /** ISO 3166 alpha-2 country used to normalize national phone numbers. */
  defaultCountry: string;
  /** Workspace-specific STOP/START words; the multilingual defaults apply when absent. */
  optOutKeywords?: string[];
  optInKeywords?: string[];
}

export type WorkspaceStatus = 'active' | 'closing';

@Entity({ tableName: 'workspaces' })
export class Workspace extends BaseEntity<'status' | 'settings'> {
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  businessName?: string | null;

  @Property({ type: 'text', nullable: true })
  contactEmail?: string | null;

  @Property({ type: 'text', nullable: true })
  contactPhone?: string | null;

  /** A billing provider's customer reference only; card data never touches this system. */
  @Property({ type: 'text', nullable: true })
  billingCustomerRef?: string | null;

  @Enum({ items: ['active', 'closing'] })
  status: WorkspaceStatus = 'active';

  @Property({ type: 'timestamptz', nullable: true })
  deletionDueAt?: Date | null;

  @Property({ type: 'jsonb' })
  settings: WorkspaceSettings = { aiEnabled: true, defaultCountry: 'US' };
}
