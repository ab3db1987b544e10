import { compact } from '../adapter-utils';
import type { OutboundAttachment, OutboundPayload, OutboundTemplate } from '../normalized';

export type WhatsAppMediaType = 'image' | 'video' | 'audio' | 'document';

/** Picks the Cloud API media kind from a MIME type; anything unknown goes as a document. */
export function mediaTypeFor(contentType: string): WhatsAppMediaType {
  const major = contentType.split('/')[0]?.toLowerCase();
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'document';
}

const textParameters = (values: string[]) => values.map((text) => ({ type: 'text', text }));

const MEDIA_HEADERS = new Set(['image', 'video', 'document']);

/** What the send payload needs from the approved template's components (Graph API shapes). */
interface TemplateLayout {
  headerFormat: string;
  /** Each button that takes a parameter, in template order: its index in BUTTONS and its sub_type. */
  buttons: { index: string; subType: 'quick_reply' | 'url' }[];
}

function layoutOf(components: unknown[] | undefined, buttonCount: number): TemplateLayout {
  // Without components (a message queued before they were carried along) the positions are all we
  // know: buttons go as quick replies in order and the header as text, as before.
  if (!components) return { headerFormat: 'text', buttons: Array.from({ length: buttonCount }, (_, i) => ({ index: String(i), subType: 'quick_reply' as const })) };
  const layout: TemplateLayout = { headerFormat: 'text', buttons: [] };
  for (const c of components as { type?: string; format?: string; buttons?: { type?: string; url?: string }[] }[]) {
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'HEADER') layout.headerFormat = String(c.format ?? 'TEXT').toLowerCase();
    if (type !== 'BUTTONS') continue;
    (c.buttons ?? []).forEach((b, index) => {
      const kind = String(b.type).toUpperCase();
      if (kind === 'QUICK_REPLY') layout.buttons.push({ index: String(index), subType: 'quick_reply' });
      if (kind === 'URL' && /\{\{\s*\w+\s*\}\}/.test(String(b.url ?? ''))) layout.buttons.push({ index: String(index), subType: 'url' });
    });
  }
  return layout;
}

/** The link's last path segment, so a document header reaches the customer with a name. */
function fileNameOf(link: string): string | undefined {
  try {
    return decodeURIComponent(new URL(link).pathname.split('/').pop() ?? '') || undefined;
  } catch {
    return undefined;
  }
}

/** A media header goes by link (`{type:'image', image:{link}}`), never as text. */
function headerParameters(format: string, values: string[]): Record<string, unknown>[] {
  if (!MEDIA_HEADERS.has(format)) return textParameters(values);
  return values.map((link) => ({ type: format, [format]: compact({ link, filename: format === 'document' ? fileNameOf(link) : undefined }) }));
}

export function templateBody(template: OutboundTemplate): Record<string, unknown> {
  const { header = [], body = [], buttons = [] } = template.parameters ?? {};
  const layout = layoutOf(template.components, buttons.length);
  const components = [
    ...(header.length ? [{ type: 'header', parameters: headerParameters(layout.headerFormat, header) }] : []),
    ...(body.length ? [{ type: 'body', parameters: textParameters(body) }] : []),
    // The n-th value belongs to the template's n-th parameterised button; `index` is that button's
    // own position in BUTTONS, which differs once a static button (phone, plain URL) precedes it.
    ...buttons.flatMap((value, i) => {
      const button = layout.buttons[i];
      // Only when the template lost buttons after the policy checked the values against it.
      if (!button) return [];
      return [
        {
          type: 'button',
          sub_type: button.subType,
          index: button.index,
          parameters: [button.subType === 'url' ? { type: 'text', text: value } : { type: 'payload', payload: value }],
        },
      ];
    }),
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
