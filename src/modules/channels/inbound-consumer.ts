import { Injectable } from '@nestjs/common';
import type { ChannelType, ParsedWebhook } from './adapters';
import type { StoredMedia } from './media.service';

export interface InboundEvent {
  workspaceId: string;
  channelId: string;
  channelType: ChannelType;
  eventId: string;
  receivedAt: Date;
  /** Downloaded media by the provider file id (or content id for inline Postmark parts). */
  media: Map<string, StoredMedia>;
}

/** Something that acts on parsed webhooks (messaging, compliance). Must be idempotent: replays happen. */
export interface InboundConsumer {
  readonly name: string;
  consume(event: InboundEvent, parsed: ParsedWebhook): Promise<void>;
}

/**
 * Channels never import the modules that consume inbound traffic; they register here instead,
 * keeping the dependency pointing from messaging to channels.
 */
@Injectable()
export class InboundConsumerRegistry {
  private readonly consumers: InboundConsumer[] = [];

  register(consumer: InboundConsumer): void {
    if (!this.consumers.some((c) => c.name === consumer.name)) this.consumers.push(consumer);
  }

  list(): readonly InboundConsumer[] {
    return this.consumers;
  }
}
