import { evaluateSendPolicy, retryPath, SendPolicyInput, whatsappWindow } from './send-policy';

const now = new Date('2026-11-29T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600 * 1000);
const shape = { header: 0, body: 2, buttons: 0 };

const base = (over: Partial<SendPolicyInput> = {}): SendPolicyInput => ({
  channelType: 'whatsapp',
  path: 'reply',
  now,
  recipientReachable: true,
  processingRestricted: false,
  consent: 'none',
  lastInboundAt: hoursAgo(1),
  ...over,
});

const code = (input: SendPolicyInput) => {
  const d = evaluateSendPolicy(input);
  return d.allowed ? 'allow' : d.code;
};

describe('send policy decision table', () => {
  const template = { name: 'order_update', parameters: { body: ['#1042', 'tomorrow'] } };
  const cases: [string, Partial<SendPolicyInput>, string][] = [
    // reachability and consent come first, on every channel and path
    ['no identifier', { recipientReachable: false }, 'recipient_unreachable'],
    ['no identifier beats opt-out', { recipientReachable: false, consent: 'opted_out' }, 'recipient_unreachable'],
    ['opted out, reply inside window', { consent: 'opted_out' }, 'contact_opted_out'],
    ['opted out, email', { channelType: 'email', consent: 'opted_out' }, 'contact_opted_out'],
    ['opted out, telegram retry of a reply', { channelType: 'telegram', path: retryPath('reply'), consent: 'opted_out' }, 'contact_opted_out'],
    ['opted out, template with old opt-in overridden', { consent: 'opted_out', template, approvedTemplate: shape }, 'contact_opted_out'],
    // restriction blocks business-initiated and AI sends only
    ['restricted, business-initiated email', { channelType: 'email', path: 'business_initiated', processingRestricted: true }, 'processing_restricted'],
    ['restricted, AI draft', { path: 'ai_draft', processingRestricted: true }, 'processing_restricted'],
    ['restricted, agent reply', { processingRestricted: true }, 'allow'],
    // email and telegram have no window
    ['email reply', { channelType: 'email', lastInboundAt: null }, 'allow'],
    ['telegram business-initiated', { channelType: 'telegram', path: 'business_initiated', lastInboundAt: null }, 'allow'],
    // WhatsApp free-form
    ['free-form, 23 h after inbound', { lastInboundAt: hoursAgo(23) }, 'allow'],
    ['free-form, 25 h after inbound', { lastInboundAt: hoursAgo(25) }, 'whatsapp_window_closed'],
    ['free-form, exactly 24 h', { lastInboundAt: hoursAgo(24) }, 'whatsapp_window_closed'],
    ['free-form, never wrote', { lastInboundAt: null }, 'template_required'],
    ['free-form retry of a reply, window closed since', { path: retryPath('reply'), lastInboundAt: hoursAgo(30) }, 'whatsapp_window_closed'],
    ['free-form, closed early by 131047', { lastInboundAt: hoursAgo(2), windowClosedAt: hoursAgo(1) }, 'whatsapp_window_closed'],
    ['free-form, 131047 before a newer inbound', { lastInboundAt: hoursAgo(1), windowClosedAt: hoursAgo(2) }, 'allow'],
    // WhatsApp templates
    ['template not approved', { template, approvedTemplate: null }, 'template_required'],
    ['template, wrong parameter count', { template: { name: 'order_update', parameters: { body: ['x'] } }, approvedTemplate: shape, consent: 'opted_in' }, 'template_params_invalid'],
    ['template outside window with opt-in', { template, approvedTemplate: shape, lastInboundAt: hoursAgo(25), consent: 'opted_in' }, 'allow'],
    ['template outside window without opt-in', { template, approvedTemplate: shape, lastInboundAt: hoursAgo(25) }, 'consent_required'],
    ['template, never wrote, without opt-in', { template, approvedTemplate: shape, lastInboundAt: null }, 'consent_required'],
    ['template inside window without opt-in (reply)', { template, approvedTemplate: shape }, 'allow'],
    ['business-initiated template inside window without opt-in', { path: 'business_initiated', template, approvedTemplate: shape }, 'consent_required'],
    ['business-initiated template with opt-in', { path: 'business_initiated', template, approvedTemplate: shape, consent: 'opted_in', lastInboundAt: null }, 'allow'],
    // a retry keeps the rules of the path the message was first sent on
    ['restricted, retry of a business-initiated email', { channelType: 'email', path: retryPath('business_initiated'), processingRestricted: true }, 'processing_restricted'],
    ['restricted, retry of an AI draft', { path: retryPath('ai_draft'), processingRestricted: true }, 'processing_restricted'],
    ['restricted, retry of an agent reply', { path: retryPath('reply'), processingRestricted: true }, 'allow'],
    ['restricted, retry of a message of unknown path', { channelType: 'telegram', path: retryPath(null), processingRestricted: true }, 'processing_restricted'],
    ['retry of a business-initiated template inside window without opt-in', { path: retryPath('business_initiated'), template, approvedTemplate: shape }, 'consent_required'],
    ['retry of a reply template inside window without opt-in', { path: retryPath('reply'), template, approvedTemplate: shape }, 'allow'],
    ['restricted business-initiated template with opt-in', { path: 'business_initiated', processingRestricted: true, template, approvedTemplate: shape, consent: 'opted_in' }, 'processing_restricted'],
  ];

  it.each(cases)('%s → %s', (_name, over, expected) => {
    expect(code(base(over))).toBe(expected);
  });

  it('judges a retry by the path the message was first sent on; an unknown one by the strictest', () => {
    expect(['reply', 'business_initiated', 'ai_draft', 'retry', null, undefined].map(retryPath)).toEqual(['reply', 'business_initiated', 'ai_draft', 'business_initiated', 'business_initiated', 'business_initiated']);
  });

  it('says when the window closed', () => {
    const d = evaluateSendPolicy(base({ lastInboundAt: hoursAgo(25) }));
    expect(d).toMatchObject({ allowed: false, extra: { closedAt: hoursAgo(1).toISOString() } });
  });

  it('reports the window as open with its expiry, or closed', () => {
    expect(whatsappWindow(hoursAgo(2), null, now)).toEqual({ open: true, expiresAt: new Date(hoursAgo(2).getTime() + 24 * 3600 * 1000) });
    expect(whatsappWindow(null, null, now)).toEqual({ open: false, expiresAt: null });
  });
});
