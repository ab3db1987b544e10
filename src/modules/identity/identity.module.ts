import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { apiOnly } from '../../common/queues';
import { WorkspacesModule } from '../workspaces';
import { ConsentsController } from './consents.controller';
import { ConsentsService } from './consents.service';
import { ContactConsentsService } from './contact-consents.service';
import { ContactMergeRegistry } from './contact-merge.registry';
import { ContactMergesController } from './contact-merges.controller';
import { ContactMergesService } from './contact-merges.service';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { Consent } from './entities/consent.entity';
import { ContactDuplicateHint } from './entities/contact-duplicate-hint.entity';
import { ContactIdentifier } from './entities/contact-identifier.entity';
import { ContactMerge } from './entities/contact-merge.entity';
import { Contact } from './entities/contact.entity';
import { IdentityService } from './identity.service';
import { CONTACT_MERGE_REGISTRY, IDENTITY_SERVICE } from './identity.tokens';
import { IdentityPersonalDataHolder } from './privacy/identity-personal-data.holder';

@Module({
  imports: [MikroOrmModule.forFeature([Contact, ContactIdentifier, Consent, ContactMerge, ContactDuplicateHint]), WorkspacesModule],
  controllers: apiOnly(ContactsController, ContactMergesController, ConsentsController),
  providers: [
    ContactsService,
    ContactMergesService,
    ConsentsService,
    IdentityService,
    ContactConsentsService,
    ContactMergeRegistry,
    IdentityPersonalDataHolder,
    { provide: IDENTITY_SERVICE, useExisting: IdentityService },
    { provide: CONTACT_MERGE_REGISTRY, useExisting: ContactMergeRegistry },
  ],
  exports: [IdentityService, ContactConsentsService, ContactMergeRegistry, IDENTITY_SERVICE, CONTACT_MERGE_REGISTRY],
})
export class IdentityModule {}
