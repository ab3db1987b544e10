import type { TemplateParameters, TemplateShape } from './template-placeholders';
import { templateParamsProblem } from './template-placeholders';

export const WHATSAPP_WINDOW_MS = 24 * 3600 * 1000;

/** How a send was started; a retry is judged by the path of the message it retries (see `retryPath`). */
export type SendPath = 'reply' | 'business_initiated' | 'ai_draft';
export type ConsentState = 'opted_in' | 'opted_out' | 'none';

/** Everything the decision needs, gathered by the compliance service before any provider call. */
export interface SendPolicyInput {
  channelType: 'email' | 'whatsapp' | 'telegram';
  path: SendPath;
  now: Date;
  /** The contact has a usable identifier for this channel. */
  recipientReachable: boolean;
  processingRestricted: boolean;
  consent: ConsentState;
  /** WhatsApp: the provider's timestamp of the contact's last inbound message on this channel. */
  lastInboundAt?: Date | null;
  /** WhatsApp: a provider 131047 after that inbound message closed the window early. */
  windowClosedAt?: Date | null;
  template?: { name: string; parameters?: TemplateParameters } | null;
  /** The approved template's shape when it exists and is approved; null otherwise. */
  approvedTemplate?: TemplateShape | null;
}

export type RefusalCode =
  | 'recipient_unreachable'
  | 'contact_opted_out'
  | 'processing_restricted'
  | 'template_required'
  | 'template_params_invalid'
  | 'consent_required'
  | 'whatsapp_window_closed';

export type SendDecision = { allowed: true } | { allowed: false; code: RefusalCode; detail: string; extra?: Record<string, unknown> };

const refuse = (code: RefusalCode, detail: string, extra?: Record<string, unknown>): SendDecision => ({ allowed: false, code, detail, ...(extra ? { extra } : {}) });

/**
 * The path a retry (manual, automatic or a re-check in the worker) is judged by: the one the message
 * was first sent on, so a retry never escapes the business-initiated rules. A message whose path is
 * unknown gets the strictest rules.
 */
export function retryPath(original: string | null | undefined): SendPath {
  return original === 'reply' || original === 'ai_draft' ? original : 'business_initiated';
}

/** When the customer-service window closes (or closed); null when the contact never wrote. */
export function whatsappWindow(lastInboundAt: Date | null | undefined, windowClosedAt: Date | null | undefined, now: Date) {
  if (!lastInboundAt) return { open: false, expiresAt: null as Date | null };
  const expiresAt = new Date(lastInboundAt.getTime() + WHATSAPP_WINDOW_MS);
  const closedEarly = windowClosedAt && windowClosedAt > lastInboundAt ? windowClosedAt : null;
  const closesAt = closedEarly && closedEarly < expiresAt ? closedEarly : expiresAt;
  return { open: now < closesAt, expiresAt: closesAt };
}

/**
 * The one decision every outbound send goes through (agent, API, business-initiated, approved AI
 * draft, retry), before a message row exists, and again in the worker right before the provider call.
 */
export function evaluateSendPolicy(input: SendPolicyInput): SendDecision {
  if (!input.recipientReachable) return refuse('recipient_unreachable', `The contact has no reachable ${input.channelType} identifier.`);
  if (input.consent === 'opted_out') return refuse('contact_opted_out', `The contact opted out of ${input.channelType} messages.`);
  const businessInitiated = input.path === 'business_initiated' || input.path === 'ai_draft';
  if (input.processingRestricted && businessInitiated) {
    return refuse('processing_restricted', 'Processing of this contact is restricted; business-initiated and AI-assisted sends are blocked.');
  }
  if (input.channelType !== 'whatsapp') return { allowed: true };

  const window = whatsappWindow(input.lastInboundAt, input.windowClosedAt, input.now);
  if (input.template) {
    if (!input.approvedTemplate) return refuse('template_required', `Template "${input.template.name}" is not an approved template of this channel.`);
    const problem = templateParamsProblem(input.approvedTemplate, input.template.parameters);
    if (problem) return refuse('template_params_invalid', `Template parameters do not fit "${input.template.name}": ${problem}.`);
    // Inside the window the customer asked to hear from us; outside it, or when we start the conversation, consent is required.
    if ((!window.open || input.path === 'business_initiated') && input.consent !== 'opted_in') {
      return refuse('consent_required', 'A WhatsApp template outside the customer-service window needs the contact’s opt-in.');
    }
    return { allowed: true };
  }
  if (!input.lastInboundAt) return refuse('template_required', 'The contact never wrote on this WhatsApp channel; only an approved template can start the conversation.');
  if (!window.open) {
    return refuse('whatsapp_window_closed', 'The 24-hour customer-service window is closed; send an approved template.', { closedAt: window.expiresAt?.toISOString() });
  }
  return { allowed: true };
}
