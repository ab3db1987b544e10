import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity';
import { ComplianceService } from './compliance.service';

/** The send policy and consent rules; called by messaging on every send and inbound message. */
@Module({ imports: [IdentityModule], providers: [ComplianceService], exports: [ComplianceService] })
export class ComplianceModule {}
