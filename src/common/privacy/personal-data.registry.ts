import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export type PersonalDataChannelType = 'email' | 'whatsapp' | 'telegram';

/** The person a privacy request is about; `channelType` narrows an erasure to one channel's part. */
export interface DataSubject {
  workspaceId: string;
  contactId: string;
  channelType?: PersonalDataChannelType;
  /**
   * The contact's identifiers (kind, normalized value), read by privacy before any holder runs, so
   * holders that find the person by address (raw ledger payloads, audit entries) need not ask
   * identity, and still know them after identity's rows are gone. Narrowed to the channel's kinds
   * when `channelType` is set.
   */
  identifiers?: readonly { kind: string; value: string }[];
}

/**
 * A module that keeps data about a person (identity, messaging, channels' ledger, AI, ...). Privacy
 * never imports those modules: each registers one holder here, so a module added later is covered
 * by registering its own holder, not by editing privacy.
 */
export interface PersonalDataHolder {
  /** Unique; the key of this holder's section in the access document. */
  readonly name: string;
  /**
   * Erasure runs holders in ascending order: rows that reference others (messages, artifacts) go
   * before what they reference (the contact, its identifiers). Collection runs in the same order.
   */
  readonly erasureOrder: number;
  /** This holder's section of the access document (plain JSON). Read-only. */
  collect(em: EntityManager, subject: DataSubject): Promise<unknown>;
  /**
   * Removes (or, where rows also concern other people, redacts) what this holder keeps about the
   * subject, with the `em` of the request's transaction. Must be idempotent. Returns rows affected.
   */
  erase(em: EntityManager, subject: DataSubject): Promise<number>;
}

@Injectable()
export class PersonalDataRegistry {
  private readonly holders: PersonalDataHolder[] = [];

  register(holder: PersonalDataHolder): void {
    if (this.holders.some((h) => h.name === holder.name)) return;
    this.holders.push(holder);
    this.holders.sort((a, b) => a.erasureOrder - b.erasureOrder);
  }

  list(): readonly PersonalDataHolder[] {
    return this.holders;
  }
}
