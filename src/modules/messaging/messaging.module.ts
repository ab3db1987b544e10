import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { apiOnly, QUEUES, workerOnly } from '../../common/queues';
import { SendPacer } from '../../common/rate-limit';
import { appEnv } from '../../config';
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
import { MessageAttempt } from './entities/message-attempt.entity';
import { Message } from './entities/message.entity';
import { InboundMessagesService } from './inbound-messages.service';
import { WakeSnoozedProcessor } from './jobs/wake-snoozed.processor';
import { ContactMergeListener } from './listeners/contact-merge.listener';
import { InboundMessagesListener } from './listeners/inbound-messages.listener';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { CONVERSATIONS_MAINTENANCE, OUTBOUND_MAINTENANCE } from './messaging.tokens';
import { DeliveryStatusListener } from './outbound/delivery-status.listener';
import { DeliveryStatusService } from './outbound/delivery-status.service';
import { WhatsappWindowCloser } from './outbound/whatsapp-window-closer';
import { OutboundDeliveryService } from './outbound/outbound-delivery.service';
import { outboundQueueSettings } from './outbound/outbound-jobs';
import { OutboundMaintenanceService } from './outbound/outbound-maintenance.service';
import { OutboundController } from './outbound/outbound.controller';
import { OutboundProcessor } from './outbound/outbound.processor';
import { OutboundService } from './outbound/outbound.service';
import { MessagingPersonalDataHolder } from './privacy/messaging-personal-data.holder';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  imports: [
    MikroOrmModule.forFeature([Conversation, ConversationChannel, Message, Attachment, MessageAttempt]),
    BullModule.registerQueue({ name: QUEUES.maintenance }, { name: QUEUES.outbound, settings: outboundQueueSettings(appEnv()) }),
    ChannelsModule,
    IdentityModule,
    ComplianceModule,
  ],
  controllers: apiOnly(ConversationsController, MessagesController, OutboundController, AttachmentsController, SearchController),
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
    SendPacer,
    OutboundService,
    OutboundDeliveryService,
    OutboundMaintenanceService,
    DeliveryStatusService,
    WhatsappWindowCloser,
    DeliveryStatusListener,
    MessagingPersonalDataHolder,
    ...workerOnly(WakeSnoozedProcessor, OutboundProcessor),
    { provide: CONVERSATIONS_MAINTENANCE, useExisting: ConversationsMaintenanceService },
    { provide: OUTBOUND_MAINTENANCE, useExisting: OutboundMaintenanceService },
  ],
  exports: [ConversationsService, MessagesService, OutboundService, ConversationsMaintenanceService, CONVERSATIONS_MAINTENANCE, OUTBOUND_MAINTENANCE],
})
export class MessagingModule {}
