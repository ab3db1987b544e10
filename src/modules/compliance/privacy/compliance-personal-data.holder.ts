import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSubject, PersonalDataRegistry } from '../../../common/privacy';
import { ComplianceService } from '../compliance.service';

/**
 * Compliance's part of an erasure: before identity deletes the consents, every identifier of a
 * channel type the person opted out of is kept as a salted hash on the suppression list, so they
 * are never messaged again. The hash is not personal data it could hand back, so access shows nothing.
 */
@Injectable()
export class CompliancePersonalDataHolder implements OnModuleInit {
  readonly name = 'compliance';
  readonly erasureOrder = 40;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly compliance: ComplianceService,
  ) {}

  onModuleInit() {
    this.registry.register(this);
  }

  collect(_em: EntityManager, _s: DataSubject): Promise<unknown> {
    return Promise.resolve(null);
  }

  erase(_em: EntityManager, s: DataSubject): Promise<number> {
    return this.compliance.suppressContact(s.workspaceId, s.contactId, s.channelType ? [s.channelType] : undefined);
  }
}
