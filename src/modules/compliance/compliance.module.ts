import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity';
import { WorkspacesModule } from '../workspaces';
import { ComplianceService } from './compliance.service';
import { COMPLIANCE_SERVICE } from './compliance.tokens';
import { ContactCreatedListener } from './listeners/contact-created.listener';
import { CompliancePersonalDataHolder } from './privacy/compliance-personal-data.holder';
import { SuppressionService } from './suppression.service';

/** The send policy and consent rules; called by messaging on every send and inbound message. */
@Module({
  imports: [IdentityModule, WorkspacesModule],
  providers: [ComplianceService, SuppressionService, ContactCreatedListener, CompliancePersonalDataHolder, { provide: COMPLIANCE_SERVICE, useExisting: ComplianceService }],
  exports: [ComplianceService, COMPLIANCE_SERVICE],
})
export class ComplianceModule {}
