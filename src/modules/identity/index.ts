export { IdentityModule } from './identity.module';
export { IdentityService } from './identity.service';
export type { ContactSummary, IdentifierSummary, SenderIdentity } from './identity.service';
export { ContactMergeRegistry } from './contact-merge.registry';
export type { ContactMergeChange, ContactMergeParticipant } from './contact-merge.registry';
export { IDENTITY_SERVICE, CONTACT_MERGE_REGISTRY } from './identity.tokens';
export { IDENTIFIER_KINDS } from './identifier-normalizer';
export type { IdentifierKind } from './identifier-normalizer';
