import { evaluateSendPolicy, SendPolicyInput, whatsappWindow } from './send-policy';
import { templateParamsProblem, templateShape } from './template-placeholders';

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
    ['opted out, telegram retry', { channelType: 'telegram', path: 'retry', consent: 'opted_out' }, 'contact_opted_out'],
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
    ['free-form retry, window closed since', { path: 'retry', lastInboundAt: hoursAgo(30) }, 'whatsapp_window_closed'],
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
    ['restricted business-initiated template with opt-in', { path: 'business_initiated', processingRestricted: true, template, approvedTemplate: shape, consent: 'opted_in' }, 'processing_restricted'],
  ];

  it.each(cases)('%s → %s', (_name, over, expected) => {
    expect(code(base(over))).toBe(expected);
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

describe('template placeholders', () => {
  const components = [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships {{3}}. Thanks {{1}}!' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop' }, { type: 'URL', url: 'https://x.example/{{1}}' }, { type: 'PHONE_NUMBER' }] },
  ];

  it('counts distinct placeholders per section', () => {
    expect(templateShape(components)).toEqual({ header: 1, body: 3, buttons: 2 });
    expect(templateShape([{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'No params' }])).toEqual({ header: 1, body: 0, buttons: 0 });
  });

  it('accepts fitting parameters and explains mismatches', () => {
    const s = templateShape(components);
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann', '42', 'today'] })).toBeNull();
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann'] })).toMatch(/body expects 3/);
    expect(templateParamsProblem(s, { body: ['Ann', '42', 'today'] })).toMatch(/header expects 1/);
    expect(templateParamsProblem(s, { header: ['42'], body: ['Ann', '42', 'today'], buttons: ['a', 'b', 'c'] })).toMatch(/buttons accept 2/);
    expect(templateParamsProblem(s, { header: [' '], body: ['Ann', '42', 'today'] })).toMatch(/empty/);
  });
});
