import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap } from '../../../common/events';
import { ComplianceService } from '../compliance.service';

/** Applies the suppression list to every new contact (the send policy also checks it directly). */
@Injectable()
export class ContactCreatedListener {
  constructor(private readonly compliance: ComplianceService) {}

  @OnEvent('contact.created', { promisify: true, suppressErrors: false })
  handle(event: DomainEventMap['contact.created']) {
    return this.compliance.onContactCreated(event.workspaceId, event.contactId);
  }
}
