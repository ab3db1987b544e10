import { compact } from '../adapter-utils';
import type { OutboundAttachment, OutboundPayload, OutboundTemplate } from '../normalized';

export type WhatsAppMediaType = 'image' | 'video' | 'audio' | 'document';

/** Picks the Cloud API media kind from a MIME type; anything unknown goes as a document. */
export function mediaTypeFor(contentType: string): WhatsAppMediaType {
  const major = contentType.split('/')[0]?.toLowerCase();
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'document';
}

const textParameters = (values: string[]) => values.map((text) => ({ type: 'text', text }));

export function templateBody(template: OutboundTemplate): Record<string, unknown> {
  const { header = [], body = [], buttons = [] } = template.parameters ?? {};
  const components = [
    ...(header.length ? [{ type: 'header', parameters: textParameters(header) }] : []),
    ...(body.length ? [{ type: 'body', parameters: textParameters(body) }] : []),
    ...buttons.map((payload, index) => ({
      type: 'button',
      sub_type: 'quick_reply',
      index: String(index),
      parameters: [{ type: 'payload', payload }],
    })),
  ];
  return compact({
    name: template.name,
    language: { code: template.language },
    components: components.length ? components : undefined,
  });
}

/** The `{image: {id, caption}}`-style part for an uploaded media id. */
export function mediaBody(
  attachment: OutboundAttachment,
  mediaId: string,
  caption: string | undefined,
): { type: WhatsAppMediaType; content: Record<string, unknown> } {
  const type = mediaTypeFor(attachment.contentType);
  return {
    type,
    content: compact({
      id: mediaId,
      // Audio messages cannot carry a caption; the API rejects one.
      caption: type === 'audio' ? undefined : caption,
      filename: type === 'document' ? attachment.filename : undefined,
    }),
  };
}

/** Wraps a type-specific part in the /messages envelope. */
export function messageEnvelope(
  message: OutboundPayload,
  type: string,
  content: Record<string, unknown>,
): Record<string, unknown> {
  return compact({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    type,
    [type]: content,
    context: message.replyToProviderMessageId ? { message_id: message.replyToProviderMessageId } : undefined,
    // Echoed back on every status webhook, so statuses map to our message without a lookup.
    biz_opaque_callback_data: message.messageId,
  });
}
