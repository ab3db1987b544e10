import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/authz';
import { DomainError } from '../../common/errors';
import { AuditService } from '../audit';
import type { ChannelType, ConsentSignal } from '../channels';
import { ContactConsentsService, ContactSummary, IdentifierSummary, IdentityService, SystemConsentSource } from '../identity';
import { WorkspacesService } from '../workspaces';
import { consentKeyword, DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from './consent-keywords';
import { evaluateSendPolicy, SendDecision, SendPath } from './send-policy';
import { SuppressionService } from './suppression.service';
import type { TemplateParameters, TemplateShape } from './template-placeholders';

/** What the sender knows about one intended send; compliance adds the contact's facts. */
export interface SendCheck {
  workspaceId: string;
  contactId: string;
  channelId: string;
  channelType: ChannelType;
  /** For a retry, the message's original path (`retryPath`). */
  path: SendPath;
  actor: Actor;
  /** Set when an existing message is checked again (manual retry, or the worker before the provider call). */
  messageId?: string;
  retry?: boolean;
  /** The contact when the caller already loaded it (saves reading it twice on the send path). */
  contact?: ContactSummary | null;
  template?: { name: string; language: string; parameters?: TemplateParameters } | null;
  /** The template's placeholder shape when it exists on the channel and is approved. */
  approvedTemplate?: TemplateShape | null;
  /** WhatsApp: provider timestamp of the contact's last inbound message on this channel. */
  lastInboundAt?: Date | null;
  /** WhatsApp: when a provider 131047 closed the window early. */
  windowClosedAt?: Date | null;
  now?: Date;
}

export type ComplianceDecision = (SendDecision & { allowed: false }) | { allowed: true; recipient: string };

/** The identifier kinds a channel type can deliver to, in order of preference. */
const RECIPIENT_KINDS: Record<ChannelType, IdentifierSummary['kind'][]> = {
  email: ['email'],
  whatsapp: ['whatsapp', 'phone'],
  telegram: ['telegram'],
};

function recipientOf(identifiers: IdentifierSummary[], channelType: ChannelType): string | null {
  for (const kind of RECIPIENT_KINDS[channelType]) {
    const found = identifiers.find((i) => i.kind === kind && !i.undeliverable);
    // WhatsApp wants `+` and the country code: without `+` Meta prepends the business number's country code.
    if (found) return channelType === 'whatsapp' && /^\d+$/.test(found.value) ? `+${found.value}` : found.value;
  }
  return null;
}

/**
 * The send policy with the contact's facts filled in. Every outbound path (agent, API,
 * business-initiated, approved AI draft, retry) calls `assertSendAllowed` before it creates a
 * message or calls a provider; refusals are audited and answered as 422 with a stable code. The
 * worker checks again (`checkSend`) right before the provider call, since time passes in the queue.
 */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly identity: IdentityService,
    private readonly consents: ContactConsentsService,
    private readonly audit: AuditService,
    private readonly suppression: SuppressionService,
    private readonly workspaces: WorkspacesService,
  ) {}

  async evaluate(check: SendCheck): Promise<ComplianceDecision> {
    const contact = check.contact !== undefined ? check.contact : await this.identity.getContact(check.workspaceId, check.contactId);
    const recipient = contact ? recipientOf(contact.identifiers, check.channelType) : null;
    const decision = evaluateSendPolicy({
      channelType: check.channelType,
      path: check.path,
      now: check.now ?? new Date(),
      recipientReachable: !!recipient,
      processingRestricted: contact?.processingRestricted ?? false,
      consent: contact ? await this.consentOf(check.workspaceId, contact.id, contact.identifiers, check.channelType) : 'none',
      lastInboundAt: check.lastInboundAt,
      windowClosedAt: check.windowClosedAt,
      template: check.template,
      approvedTemplate: check.approvedTemplate,
    });
    return decision.allowed ? { allowed: true, recipient: recipient! } : decision;
  }

  /** The newest consent entry; with none, an identifier on the suppression list counts as an opt-out. */
  private async consentOf(workspaceId: string, contactId: string, identifiers: IdentifierSummary[], channelType: ChannelType) {
    const current = await this.consents.current(workspaceId, contactId, channelType);
    if (current !== 'none') return current;
    return (await this.suppression.suppressedChannels(workspaceId, identifiers)).has(channelType) ? 'opted_out' : 'none';
  }

  /**
   * Before a contact is erased: remember (as salted hashes only) every identifier of the channel
   * types it opted out of, so the person is never messaged again if they reappear.
   */
  async suppressContact(workspaceId: string, contactId: string, channelTypes: readonly ChannelType[] = ['email', 'whatsapp', 'telegram']): Promise<number> {
    const contact = await this.identity.getContact(workspaceId, contactId);
    if (!contact) return 0;
    const optedOut: ChannelType[] = [];
    for (const channelType of channelTypes) {
      if ((await this.consents.current(workspaceId, contactId, channelType)) === 'opted_out') optedOut.push(channelType);
    }
    return this.suppression.suppress(workspaceId, contact.identifiers, optedOut);
  }

  /** A new contact whose identifier is on the suppression list starts opted out (recorded in its ledger). */
  async onContactCreated(workspaceId: string, contactId: string): Promise<void> {
    const contact = await this.identity.getContact(workspaceId, contactId);
    if (!contact) return;
    for (const channelType of await this.suppression.suppressedChannels(workspaceId, contact.identifiers)) {
      await this.changeConsent(workspaceId, contactId, channelType, 'opted_out', 'import', { reason: 'suppression_list' });
    }
  }

  /** The decision, with a refusal audited; for callers that act on a refusal themselves (the outbound worker). */
  async checkSend(check: SendCheck): Promise<ComplianceDecision> {
    const decision = await this.evaluate(check);
    if (decision.allowed) return decision;
    await this.audit.recordOutsideTransaction({
      workspaceId: check.workspaceId,
      actor: check.actor,
      action: 'message.send_refused',
      subjectType: 'Contact',
      subjectId: check.contactId,
      changes: {
        code: decision.code,
        channelId: check.channelId,
        path: check.path,
        template: check.template?.name ?? null,
        ...(check.messageId ? { messageId: check.messageId } : {}),
        ...(check.retry ? { retry: true } : {}),
        ...decision.extra,
      },
    });
    return decision;
  }

  /** Throws the typed 422 refusal (after auditing it); otherwise returns the provider address to send to. */
  async assertSendAllowed(check: SendCheck): Promise<{ recipient: string }> {
    const decision = await this.checkSend(check);
    if (decision.allowed) return { recipient: decision.recipient };
    throw new DomainError(decision.code, decision.detail, decision.extra ?? {});
  }

  /** An inbound message that is exactly an opt-out/opt-in keyword changes the contact's consent for that channel type. */
  async onInboundText(workspaceId: string, contactId: string, channelType: ChannelType, text: string | undefined, evidence: Record<string, unknown>): Promise<void> {
    const settings = await this.workspaces.settings(workspaceId);
    const status = consentKeyword(text, {
      optOut: settings?.optOutKeywords ?? DEFAULT_OPT_OUT_KEYWORDS,
      optIn: settings?.optInKeywords ?? DEFAULT_OPT_IN_KEYWORDS,
    });
    if (!status) return;
    await this.changeConsent(workspaceId, contactId, channelType, status, 'inbound_keyword', { ...evidence, keyword: text?.trim() });
  }

  /** Postmark SubscriptionChange / SpamComplaint: the provider says the address must not get mail. */
  async onProviderConsent(workspaceId: string, channelType: ChannelType, signal: ConsentSignal): Promise<void> {
    const contactId = await this.consents.contactIdByIdentifier(workspaceId, signal.identifier.kind, signal.identifier.value);
    if (!contactId) return;
    await this.changeConsent(workspaceId, contactId, channelType, signal.status, 'provider', { reason: signal.reason, at: signal.at.toISOString(), ...signal.evidence });
  }

  private async changeConsent(workspaceId: string, contactId: string, channelType: ChannelType, status: 'opted_in' | 'opted_out', source: SystemConsentSource, evidence: Record<string, unknown>) {
    const actor: Actor = source === 'import' ? { type: 'system', id: 'suppression_list' } : { type: 'provider', id: channelType };
    const changed = await this.consents.record(workspaceId, contactId, { channelType, status, source, evidence, actor });
    if (changed) {
      await this.audit.record({ workspaceId, actor, action: 'consent.changed', subjectType: 'Contact', subjectId: contactId, changes: { channelType, status, source } });
    }
  }
}
