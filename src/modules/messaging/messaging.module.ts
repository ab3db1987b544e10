import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { apiOnly, QUEUES, workerOnly } from '../../common/queues';
import { ChannelsModule } from '../channels';
import { ComplianceModule } from '../compliance';
import { IdentityModule } from '../identity';
import { AttachmentsController } from './attachments.controller';
import { ConversationMergeService } from './conversation-merge.service';
import { ConversationsMaintenanceService } from './conversations-maintenance.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { Attachment } from './entities/attachment.entity';
import { ConversationChannel } from './entities/conversation-channel.entity';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { InboundMessagesService } from './inbound-messages.service';
import { WakeSnoozedProcessor } from './jobs/wake-snoozed.processor';
import { ContactMergeListener } from './listeners/contact-merge.listener';
import { InboundMessagesListener } from './listeners/inbound-messages.listener';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { CONVERSATIONS_MAINTENANCE } from './messaging.tokens';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  imports: [
    MikroOrmModule.forFeature([Conversation, ConversationChannel, Message, Attachment]),
    BullModule.registerQueue({ name: QUEUES.maintenance }),
    ChannelsModule,
    IdentityModule,
    ComplianceModule,
  ],
  controllers: apiOnly(ConversationsController, MessagesController, AttachmentsController, SearchController),
  providers: [
    ConversationsRepository,
    ConversationsService,
    MessagesService,
    SearchService,
    InboundMessagesService,
    ConversationMergeService,
    ConversationsMaintenanceService,
    InboundMessagesListener,
    ContactMergeListener,
    ...workerOnly(WakeSnoozedProcessor),
    { provide: CONVERSATIONS_MAINTENANCE, useExisting: ConversationsMaintenanceService },
  ],
  exports: [ConversationsService, MessagesService, ConversationsMaintenanceService, CONVERSATIONS_MAINTENANCE],
})
export class MessagingModule {}
