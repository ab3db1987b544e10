import { maskIdentifier, RequestCtx } from '../../common/authz';
import { Contact } from './entities/contact.entity';
import { ContactIdentifier } from './entities/contact-identifier.entity';
import type { IdentifierKind } from './identifier-normalizer';

export interface IdentifierView {
  id: string;
  kind: IdentifierKind;
  value: string;
  verified: boolean;
  source: string;
  undeliverable: boolean;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  createdAt: Date;
}

export interface ContactView {
  id: string;
  name: string | null;
  identifiers: IdentifierView[];
  processingRestricted: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastSeenAt: Date | null;
}

/** Emails and phone numbers (WhatsApp ids are phone numbers) are masked without `read ContactPii`. */
export const toIdentifierView = (ctx: RequestCtx, i: ContactIdentifier): IdentifierView => ({
  id: i.id,
  kind: i.kind,
  value: maskIdentifier(ctx, i.kind, i.value),
  verified: i.verified,
  source: i.source,
  undeliverable: i.undeliverable,
  firstSeenAt: i.firstSeenAt ?? null,
  lastSeenAt: i.lastSeenAt ?? null,
  createdAt: i.createdAt,
});

export const toContactView = (ctx: RequestCtx, c: Contact, identifiers: ContactIdentifier[]): ContactView => ({
  id: c.id,
  name: c.name ?? null,
  identifiers: identifiers.map((i) => toIdentifierView(ctx, i)),
  processingRestricted: c.processingRestricted,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  lastSeenAt: c.lastSeenAt ?? null,
});
