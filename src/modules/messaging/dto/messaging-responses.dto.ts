import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ActorDto } from '../../../common/openapi';
import { CHANNEL_TYPES } from '../../channels';
import { IDENTIFIER_KINDS } from '../../identity';
import { CONVERSATION_STATUSES } from '../entities/conversation.entity';
import { MESSAGE_DIRECTIONS } from '../entities/message.entity';

const ID = { format: 'uuid', example: '0193b3f2-8c1e-7a45-9d2f-5b6a7c8d9e0f' } as const;
const AT = { format: 'date-time' } as const;
const AT_OR_NULL = { type: String, format: 'date-time', nullable: true } as const;

export class ConversationIdentifier {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ enum: IDENTIFIER_KINDS }) kind!: string;
  @ApiProperty({ description: 'Masked without `read ContactPii`', example: 'gr***@example.com' }) value!: string;
  @ApiProperty() verified!: boolean;
  @ApiProperty({ example: 'inbound' }) source!: string;
}

export class ConversationContact {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Grace Hopper' }) name!: string | null;
  @ApiProperty({ type: [ConversationIdentifier] }) identifiers!: ConversationIdentifier[];
}

export class ConversationContactName {
  @ApiProperty(ID) id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Grace Hopper' }) name!: string | null;
}

export class WhatsappWindow {
  @ApiProperty({ description: 'Free-form messages may be sent (24 h since the customer’s last message)' }) open!: boolean;
  @ApiProperty(AT_OR_NULL) expiresAt!: Date | null;
}

export class ConversationChannelResponse {
  @ApiProperty(ID) channelId!: string;
  @ApiProperty({ enum: CHANNEL_TYPES }) type!: string;
  @ApiProperty(AT_OR_NULL) lastInboundAt!: Date | null;
  @ApiPropertyOptional({ type: WhatsappWindow, description: 'WhatsApp channels only' }) whatsappWindow?: WhatsappWindow;
}

class ConversationFields {
  @ApiProperty(ID) id!: string;
  @ApiProperty(ID) contactId!: string;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) status!: string;
  @ApiProperty(AT_OR_NULL) snoozedUntil!: Date | null;
  @ApiProperty({ ...ID, type: String, nullable: true, description: 'The assigned member’s user id' }) assigneeId!: string | null;
  @ApiProperty({ type: [String], example: ['vip'] }) labels!: string[];
  @ApiProperty(AT) lastMessageAt!: Date;
  @ApiProperty({ type: [ConversationChannelResponse] }) channels!: ConversationChannelResponse[];
  @ApiProperty(AT) createdAt!: Date;
  @ApiProperty(AT) updatedAt!: Date;
}

export class ConversationResponse extends ConversationFields {
  @ApiProperty({ type: ConversationContact, nullable: true }) contact!: ConversationContact | null;
}

export class ConversationSummaryResponse extends ConversationFields {
  @ApiProperty({ type: ConversationContactName }) contact!: ConversationContactName;
}

export class AttachmentResponse {
  @ApiProperty({ ...ID, description: 'Download at GET …/attachments/{attachmentId}' }) id!: string;
  @ApiProperty({ example: 'invoice.pdf' }) filename!: string;
  @ApiProperty({ example: 'application/pdf' }) contentType!: string;
  @ApiProperty({ description: 'Bytes', example: 48213 }) size!: number;
}

export class MessageEmailResponse {
  @ApiPropertyOptional() textBody?: string;
  @ApiPropertyOptional() htmlBody?: string;
  @ApiPropertyOptional({ description: 'RFC 5322 Message-ID' }) messageId?: string;
  @ApiPropertyOptional() inReplyTo?: string;
  @ApiPropertyOptional({ type: [String] }) references?: string[];
}

export class LocationResponse {
  @ApiProperty({ example: 51.5034 }) latitude!: number;
  @ApiProperty({ example: -0.1276 }) longitude!: number;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() address?: string;
}

export class SharedContactResponse {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional({ description: 'Masked without `read ContactPii`' }) phone?: string;
  @ApiPropertyOptional() userId?: string;
  @ApiPropertyOptional() waId?: string;
}

export class InteractiveReplyResponse {
  @ApiPropertyOptional() id?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional() payload?: string;
}

export class UnavailableMedia {
  @ApiPropertyOptional() filename?: string;
  @ApiPropertyOptional() contentType?: string;
}

export class ReactionResponse {
  @ApiProperty({ example: '👍' }) emoji!: string;
  @ApiProperty({ enum: ['contact', 'agent'] }) by!: string;
  @ApiProperty(AT) at!: string;
}

export class RevisionResponse {
  @ApiProperty({ type: String, nullable: true, description: 'The text before this edit' }) text!: string | null;
  @ApiProperty(AT) at!: string;
}

export class StatusChangeResponse {
  @ApiProperty({ example: 'delivered' }) status!: string;
  @ApiProperty(AT) at!: string;
}

export class MessageErrorResponse {
  @ApiProperty({ example: 'whatsapp_131047' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'Whether a retry could help' }) retryable!: boolean;
}

export class TemplateParamsResponse {
  @ApiPropertyOptional({ type: [String] }) header?: string[];
  @ApiPropertyOptional({ type: [String] }) body?: string[];
  @ApiPropertyOptional({ type: [String] }) buttons?: string[];
}

export class MessageTemplateResponse {
  @ApiProperty({ example: 'order_update' }) name!: string;
  @ApiProperty({ example: 'en_US' }) language!: string;
  @ApiPropertyOptional({ type: TemplateParamsResponse }) parameters?: TemplateParamsResponse;
}

export class AttemptResponse {
  @ApiProperty(AT) at!: string;
  @ApiProperty({ example: 'sent' }) outcome!: string;
  @ApiPropertyOptional() errorCode?: string;
}

export class MessageResponse {
  @ApiProperty(ID) id!: string;
  @ApiProperty(ID) conversationId!: string;
  @ApiProperty({ ...ID, type: String, nullable: true, description: 'null for internal notes' }) channelId!: string | null;
  @ApiProperty(ID) contactId!: string;
  @ApiProperty({ enum: MESSAGE_DIRECTIONS }) direction!: string;
  @ApiProperty({ description: 'text, image, video, audio, document, sticker, location, contacts, interactive, unsupported, note…', example: 'text' }) type!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Hello, where is my order?' }) text!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Email only' }) subject!: string | null;
  @ApiPropertyOptional({ type: MessageEmailResponse, description: 'Email only' }) email?: MessageEmailResponse;
  @ApiPropertyOptional({ type: LocationResponse }) location?: LocationResponse;
  @ApiPropertyOptional({ type: [SharedContactResponse] }) contacts?: SharedContactResponse[];
  @ApiPropertyOptional({ type: InteractiveReplyResponse, description: 'The tapped button or list item' }) interactive?: InteractiveReplyResponse;
  @ApiPropertyOptional({ description: 'The provider’s unsupported part as received (PII masked)' }) raw?: unknown;
  @ApiPropertyOptional({ type: [UnavailableMedia], description: 'Media the provider did not let us download' }) mediaUnavailable?: UnavailableMedia[];
  @ApiProperty({ type: [AttachmentResponse] }) attachments!: AttachmentResponse[];
  @ApiProperty({ ...ID, type: String, nullable: true }) replyToMessageId!: string | null;
  @ApiProperty({ type: [ReactionResponse] }) reactions!: ReactionResponse[];
  @ApiProperty(AT_OR_NULL) editedAt!: Date | null;
  @ApiProperty({ type: [RevisionResponse] }) revisions!: RevisionResponse[];
  @ApiProperty({ description: 'received, queued, sending, sent, delivered, read, failed…', example: 'queued' }) status!: string;
  @ApiProperty({ type: String, nullable: true, example: 'wamid.HBgL…' }) providerMessageId!: string | null;
  @ApiPropertyOptional({ type: MessageErrorResponse, description: 'Outbound: why delivery failed' }) error?: MessageErrorResponse;
  @ApiPropertyOptional({ type: MessageTemplateResponse, description: 'Outbound: the WhatsApp template asked for' }) template?: MessageTemplateResponse;
  @ApiProperty({ type: [StatusChangeResponse] }) statusHistory!: StatusChangeResponse[];
  @ApiProperty({ type: [AttemptResponse], description: 'Outbound provider calls, oldest first' }) attempts!: AttemptResponse[];
  @ApiProperty() aiAssisted!: boolean;
  @ApiProperty({ ...AT_OR_NULL, description: 'The provider’s timestamp' }) sentAt!: Date | null;
  @ApiProperty({ type: ActorDto, nullable: true, description: 'Who wrote a note or sent an outbound message' }) author!: ActorDto | null;
  @ApiProperty(AT) createdAt!: Date;
}

export class MessageHitResponse {
  @ApiProperty({ enum: ['message'] }) type!: string;
  @ApiProperty(ID) id!: string;
  @ApiProperty(ID) conversationId!: string;
  @ApiProperty({ ...ID, type: String, nullable: true }) channelId!: string | null;
  @ApiProperty({ enum: MESSAGE_DIRECTIONS }) direction!: string;
  @ApiProperty({ example: 'text' }) messageType!: string;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ example: 'where is my **order**' }) snippet!: string;
  @ApiProperty(AT) createdAt!: Date;
}

export class HitIdentifier {
  @ApiProperty({ enum: IDENTIFIER_KINDS }) kind!: string;
  @ApiProperty() value!: string;
}

export class ContactHitResponse {
  @ApiProperty({ enum: ['contact'] }) type!: string;
  @ApiProperty(ID) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: [HitIdentifier] }) identifiers!: HitIdentifier[];
  @ApiProperty() snippet!: string;
  @ApiProperty(AT) createdAt!: Date;
}

/** A search hit is a message or a contact, told apart by `type`. */
@ApiExtraModels(MessageHitResponse, ContactHitResponse)
export class SearchPageResponse {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(MessageHitResponse) }, { $ref: getSchemaPath(ContactHitResponse) }], discriminator: { propertyName: 'type' } },
  })
  data!: (MessageHitResponse | ContactHitResponse)[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last page' }) nextCursor!: string | null;
}
