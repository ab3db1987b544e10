/**
 * Hand-written Postmark webhook payloads shaped after the official SDK types and
 * doc examples. Shared by unit tests, e2e tests and the provider sandbox.
 */
import type { WebhookKind, WebhookRequest } from '../normalized';

type Json = Record<string, unknown>;

export const POSTMARK_FIXTURE = {
  basicUser: 'postmark-hook',
  basicPassword: 'pa:ss w0rd/with:colons',
  serverToken: 'server-token-0f6c2b1e',
  fromAddress: 'Support <support@acme.example>',
  inboundAddress: 'reply@inbound.acme.example',
  customerEmail: 'jane.doe@customer.example',
  inboundMessageId: '22c74902-a0c1-4511-804f-341342852c90',
  outboundMessageId: '0a129aee-e1cd-480d-b08d-4f48548ff48d',
  ourMessageId: '6f1d7c1e-0f55-4e0f-9d44-3a8e1f0b6a10',
  /** 19 digits: beyond Number.MAX_SAFE_INTEGER, so only lossless parsers keep it intact. */
  bounceId: '4323372036854775807',
  pdfBase64: Buffer.from('%PDF-1.4 fake invoice').toString('base64'),
  pngBase64: Buffer.from('\x89PNG fake logo', 'latin1').toString('base64'),
} as const;

const F = POSTMARK_FIXTURE;

export const postmarkBasicAuthHeader = (user: string = F.basicUser, password: string = F.basicPassword): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A webhook request as the controller would hand it to `verify`. */
export function postmarkWebhookRequest(payload: unknown, kind: WebhookKind, headers: Record<string, string | undefined> = {}): WebhookRequest {
  return {
    kind,
    rawBody: Buffer.from(JSON.stringify(payload)),
    headers: { 'content-type': 'application/json', authorization: postmarkBasicAuthHeader(), ...headers },
  };
}

/** Inbound reply to one of our emails, with a PDF and an inline image. */
export function postmarkInbound(overrides: Json = {}): Json {
  return {
    FromName: 'Jane Doe',
    MessageStream: 'inbound',
    From: 'Jane.Doe@Customer.example',
    FromFull: { Email: ' Jane.Doe@Customer.example ', Name: 'Jane Doe', MailboxHash: '' },
    To: '"Acme Support" <reply+conv_8f3a2b@inbound.acme.example>',
    ToFull: [{ Email: 'reply+conv_8f3a2b@inbound.acme.example', Name: 'Acme Support', MailboxHash: 'conv_8f3a2b' }],
    Cc: '',
    CcFull: [],
    Bcc: '',
    BccFull: [],
    OriginalRecipient: 'reply+conv_8f3a2b@inbound.acme.example',
    Subject: 'Re: Your order #1042',
    MessageID: F.inboundMessageId,
    ReplyTo: '',
    MailboxHash: 'conv_8f3a2b',
    Date: 'Tue, 4 Mar 2025 09:15:27 +0100 (CET)',
    TextBody: 'Thanks, the invoice is attached.\n\nOn Mon, 3 Mar 2025 Acme Support wrote:\n> Please send the invoice.',
    HtmlBody: '<p>Thanks, the invoice is attached.</p><img src="cid:logo@acme">',
    StrippedTextReply: 'Thanks, the invoice is attached.',
    Tag: '',
    Headers: [
      { Name: 'X-Spam-Checker-Version', Value: 'SpamAssassin 3.3.1 (2010-03-16) on ip-10-8-0-1' },
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'X-Spam-Score', Value: '-0.1' },
      { Name: 'Received-SPF', Value: 'pass (customer.example: domain of jane.doe@customer.example designates 203.0.113.7 as permitted sender)' },
      { Name: 'MIME-Version', Value: '1.0' },
      { Name: 'message-id', Value: '<CAFx8kZ1=Q2@mail.customer.example>' },
      { Name: 'In-Reply-To', Value: `<${F.outboundMessageId}@mtasv.net>` },
      { Name: 'References', Value: `<root-1@acme.example>\r\n <${F.outboundMessageId}@mtasv.net>` },
    ],
    Attachments: [
      { Name: 'invoice-1042.pdf', Content: F.pdfBase64, ContentType: 'application/pdf', ContentLength: 21 },
      { Name: 'logo.png', Content: F.pngBase64, ContentType: 'image/png', ContentLength: 14, ContentID: 'logo@acme' },
    ],
    ...overrides,
  };
}

export function postmarkDelivery(overrides: Json = {}): Json {
  return {
    RecordType: 'Delivery',
    ServerID: 23,
    MessageStream: 'outbound',
    MessageID: F.outboundMessageId,
    Recipient: F.customerEmail,
    Tag: 'welcome-email',
    DeliveredAt: '2025-03-04T08:16:02Z',
    Details: 'Test delivery webhook details',
    Metadata: { messageId: F.ourMessageId },
    ...overrides,
  };
}

export function postmarkHardBounce(overrides: Json = {}): Json {
  return {
    RecordType: 'Bounce',
    ID: F.bounceId,
    Type: 'HardBounce',
    TypeCode: 1,
    Name: 'Hard bounce',
    Tag: 'Test',
    MessageID: F.outboundMessageId,
    ServerID: 23,
    MessageStream: 'outbound',
    Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    Email: F.customerEmail,
    From: 'support@acme.example',
    BouncedAt: '2025-03-04T08:17:45Z',
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: 'Your order #1042',
    Content: '',
    Metadata: { messageId: F.ourMessageId },
    ...overrides,
  };
}

export function postmarkSpamComplaint(overrides: Json = {}): Json {
  return {
    ...postmarkHardBounce(),
    RecordType: 'SpamComplaint',
    ID: '4323372036854775808',
    Type: 'SpamComplaint',
    // Community copies show 512 here although the SDK calls 512 SpamNotification: never route on it.
    TypeCode: 512,
    Name: 'Spam complaint',
    Description: 'The subscriber explicitly marked this message as spam.',
    Details: 'Test spam complaint details',
    ...overrides,
  };
}

export function postmarkSubscriptionChange(suppressSending = true, overrides: Json = {}): Json {
  return {
    RecordType: 'SubscriptionChange',
    MessageID: F.outboundMessageId,
    ServerID: 23,
    MessageStream: 'broadcast',
    ChangedAt: '2025-03-04T10:00:00Z',
    Recipient: F.customerEmail,
    Origin: suppressSending ? 'Recipient' : 'Customer',
    SuppressSending: suppressSending,
    SuppressionReason: suppressSending ? 'ManualSuppression' : null,
    Tag: 'newsletter',
    Metadata: {},
    ...overrides,
  };
}

export function postmarkOpen(overrides: Json = {}): Json {
  return {
    RecordType: 'Open',
    MessageStream: 'outbound',
    FirstOpen: true,
    Client: { Name: 'Chrome 35.0.1916.153', Company: 'Google', Family: 'Chrome' },
    OS: { Name: 'OS X 10.7 Lion', Company: 'Apple Computer, Inc.', Family: 'OS X 10' },
    Platform: 'WebMail',
    UserAgent: 'Mozilla/5.0',
    ReadSeconds: 5,
    Geo: { CountryISOCode: 'SE', Country: 'Sweden', City: 'Stockholm', IP: '192.0.2.10' },
    MessageID: F.outboundMessageId,
    ReceivedAt: '2025-03-04T08:30:12Z',
    Tag: 'welcome-email',
    Recipient: F.customerEmail,
    Metadata: { messageId: F.ourMessageId },
    ...overrides,
  };
}

export function postmarkClick(overrides: Json = {}): Json {
  const { FirstOpen: _first, ReadSeconds: _read, ...open } = postmarkOpen();
  return {
    ...open,
    RecordType: 'Click',
    ClickLocation: 'HTML',
    OriginalLink: 'https://acme.example/orders/1042',
    ...overrides,
  };
}
