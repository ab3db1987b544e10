/**
 * Hand-written WhatsApp Cloud API webhook payloads (messages and statuses).
 * Shared by unit tests, e2e tests and the provider sandbox.
 */
import { createHmac } from 'node:crypto';
import type { WebhookRequest } from '../normalized';

type Json = Record<string, unknown>;

export const WHATSAPP_FIXTURE = {
  appSecret: 'wa-app-secret-7d1f',
  accessToken: 'EAAG-test-access-token',
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
  customerWaId: '4915112345678',
  customerName: 'Jonas Keller',
  /** Unix seconds as WhatsApp sends them: a string. 2025-03-04T09:20:00Z */
  timestamp: '1741080000',
  outboundWamid: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ2QjE4OUFEMzk1QkI3RDVBNgA=',
  ourMessageId: '9b2c1e4a-5d6f-4a7b-8c9d-0e1f2a3b4c5d',
} as const;

const F = WHATSAPP_FIXTURE;

/** `X-Hub-Signature-256` value for these exact bytes. */
export const whatsappSignature = (rawBody: Buffer | string, appSecret: string = F.appSecret): string =>
  `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;

/** A signed webhook request; pass `rawBody` to sign bytes other than JSON.stringify(payload). */
export function whatsappWebhookRequest(payload: unknown, rawBody?: Buffer): WebhookRequest {
  const bytes = rawBody ?? Buffer.from(JSON.stringify(payload));
  return {
    kind: 'default',
    rawBody: bytes,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': whatsappSignature(bytes) },
  };
}

// ---------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------

export interface WaValueParts {
  messages?: Json[];
  statuses?: Json[];
  contacts?: Json[];
}

export function waValue(parts: WaValueParts): Json {
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: F.displayPhoneNumber, phone_number_id: F.phoneNumberId },
    ...parts,
  };
}

export const waContact = (waId: string = F.customerWaId, name: string = F.customerName): Json => ({
  profile: { name },
  wa_id: waId,
});

/** Full notification with one entry per element of `entries`, each entry one change per value. */
export function waNotification(entries: Json[][]): Json {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((values) => ({
      id: F.wabaId,
      changes: values.map((value) => ({ value, field: 'messages' })),
    })),
  };
}

/** The usual shape: one entry, one change, one inbound message from the default customer. */
export const waInbound = (message: Json, contacts: Json[] = [waContact()]): Json =>
  waNotification([[waValue({ contacts, messages: [message] })]]);

export const waStatusNotification = (...statuses: Json[]): Json => waNotification([[waValue({ statuses })]]);

// ---------------------------------------------------------------------------
// Inbound messages
// ---------------------------------------------------------------------------

const base = (id: string, type: string, from: string = F.customerWaId): Json => ({
  from,
  id,
  timestamp: F.timestamp,
  type,
});

export const waText = (body = 'Hi, is my order #1042 shipped?', id = 'wamid.TEXT01'): Json => ({
  ...base(id, 'text'),
  text: { body },
});

export const waImage = (id = 'wamid.IMAGE01'): Json => ({
  ...base(id, 'image'),
  image: {
    caption: 'Damaged box',
    mime_type: 'image/jpeg',
    sha256: '3b4f1c2a9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a',
    id: '1003383421387256',
  },
});

export const waDocument = (id = 'wamid.DOC01'): Json => ({
  ...base(id, 'document'),
  document: {
    caption: 'Receipt',
    filename: 'receipt-1042.pdf',
    mime_type: 'application/pdf',
    sha256: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2',
    id: '1234567890123456',
  },
});

export const waAudio = (id = 'wamid.AUDIO01'): Json => ({
  ...base(id, 'audio'),
  audio: {
    mime_type: 'audio/ogg; codecs=opus',
    sha256: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f',
    id: '2345678901234567',
    voice: true,
  },
});

export const waLocation = (id = 'wamid.LOC01'): Json => ({
  ...base(id, 'location'),
  location: { latitude: 52.520008, longitude: 13.404954, name: 'Alexanderplatz', address: '10178 Berlin' },
});

export const waContacts = (id = 'wamid.CONTACTS01'): Json => ({
  ...base(id, 'contacts'),
  contacts: [
    {
      name: { formatted_name: 'Anna Schmidt', first_name: 'Anna', last_name: 'Schmidt' },
      phones: [{ phone: '+49 151 98765432', wa_id: '4915198765432', type: 'CELL' }],
      emails: [{ email: 'anna@example.com', type: 'WORK' }],
    },
  ],
});

export const waButtonReply = (id = 'wamid.INTERACTIVE01'): Json => ({
  ...base(id, 'interactive'),
  context: { from: F.displayPhoneNumber, id: F.outboundWamid },
  interactive: { type: 'button_reply', button_reply: { id: 'confirm_delivery', title: 'Yes, deliver' } },
});

export const waListReply = (id = 'wamid.LIST01'): Json => ({
  ...base(id, 'interactive'),
  interactive: { type: 'list_reply', list_reply: { id: 'slot_am', title: 'Morning', description: '8–12' } },
});

/** A tap on a template quick-reply button. */
export const waButton = (id = 'wamid.BUTTON01'): Json => ({
  ...base(id, 'button'),
  context: { from: F.displayPhoneNumber, id: F.outboundWamid },
  button: { payload: 'STOP_PROMOTIONS', text: 'Stop promotions' },
});

/** An empty emoji removes the reaction. */
export const waReaction = (emoji = '👍', id = 'wamid.REACTION01'): Json => ({
  ...base(id, 'reaction'),
  reaction: { message_id: F.outboundWamid, emoji },
});

export const waUnsupported = (id = 'wamid.UNSUPPORTED01'): Json => ({
  ...base(id, 'unsupported'),
  errors: [
    {
      code: 131051,
      title: 'Message type unknown',
      message: 'Message type unknown',
      error_data: { details: 'Message type is currently not supported.' },
    },
  ],
});

// ---------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------

export function waStatus(status: string, overrides: Json = {}): Json {
  return {
    id: F.outboundWamid,
    status,
    timestamp: F.timestamp,
    recipient_id: F.customerWaId,
    biz_opaque_callback_data: F.ourMessageId,
    ...(status === 'sent'
      ? { conversation: { id: 'c0a8e3f1b2d4', expiration_timestamp: '1741166400', origin: { type: 'service' } } }
      : {}),
    pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
    ...overrides,
  };
}

export const waFailedStatus = (): Json => {
  const { pricing: _pricing, ...failed } = waStatus('failed', {
    errors: [
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ],
  });
  return failed;
};

// ---------------------------------------------------------------------------
// Signature vectors over exact bytes with non-ASCII text
// ---------------------------------------------------------------------------

/**
 * The same notification twice: once with "äöå" escaped as \u00e4\u00f6\u00e5 in
 * the bytes (how Meta signs), once as literal UTF-8. HMACs were computed
 * independently with `openssl dgst -sha256 -hmac wa-app-secret-7d1f`.
 */
export const WHATSAPP_SIGNATURE_VECTORS = {
  escaped: {
    raw: String.raw`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"J\u00e4rvi"},"wa_id":"358401234567"}],"messages":[{"from":"358401234567","id":"wamid.HBgMMzU4NDAxMjM0NTY3FQIAEhggQTFCMkMzRDRFNUY2","timestamp":"1741080000","text":{"body":"\u00e4\u00f6\u00e5"},"type":"text"}]},"field":"messages"}]}]}`,
    signature: 'sha256=a6fd857af4be334698975697feacc00a8f367340a27cb5a1c793b3c3dafdc937',
  },
  literal: {
    raw: '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Järvi"},"wa_id":"358401234567"}],"messages":[{"from":"358401234567","id":"wamid.HBgMMzU4NDAxMjM0NTY3FQIAEhggQTFCMkMzRDRFNUY2","timestamp":"1741080000","text":{"body":"äöå"},"type":"text"}]},"field":"messages"}]}]}',
    signature: 'sha256=1d1161e0627ead392d4f85217c2b6d0c7f564d904ebb88989679821113435d7e',
  },
  appSecret: F.appSecret,
} as const;
