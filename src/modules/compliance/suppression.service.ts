import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import type { ChannelType } from '../channels';

export interface IdentifierRef {
  kind: string;
  value: string;
}

/** Which channel type an identifier kind is reached through. */
const CHANNEL_OF: Record<string, ChannelType> = { email: 'email', phone: 'whatsapp', whatsapp: 'whatsapp', telegram: 'telegram' };

/**
 * Salted hashes of erased people's identifiers, per channel type they had opted out of. The hash
 * cannot be reversed into the address, yet a contact created again with it starts opted out.
 */
@Injectable()
export class SuppressionService {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getConnection();
  }

  async suppress(workspaceId: string, identifiers: IdentifierRef[], channelTypes: ChannelType[]): Promise<number> {
    const salt = await this.salt(workspaceId);
    let added = 0;
    for (const id of identifiers) {
      const channel = CHANNEL_OF[id.kind];
      if (!channel || !channelTypes.includes(channel)) continue;
      const rows = await this.db.execute<unknown[]>(
        'insert into suppressions (workspace_id, identifier_hash, channel_type) values (?, ?, ?) on conflict do nothing returning 1',
        [workspaceId, hash(salt, id), channel],
      );
      added += rows.length;
    }
    return added;
  }

  /** The channel types any of these identifiers is suppressed for. */
  async suppressedChannels(workspaceId: string, identifiers: IdentifierRef[]): Promise<Set<ChannelType>> {
    if (!identifiers.length) return new Set();
    const salt = await this.existingSalt(workspaceId);
    // No salt means nothing was ever suppressed here: the common case costs one read.
    if (!salt) return new Set();
    const hashes = identifiers.map((id) => hash(salt, id));
    const rows = await this.db.execute<{ channel_type: ChannelType }[]>(
      'select distinct channel_type from suppressions where workspace_id = ? and identifier_hash in (select jsonb_array_elements_text(?::jsonb))',
      [workspaceId, JSON.stringify(hashes)],
    );
    return new Set(rows.map((r) => r.channel_type));
  }

  private async existingSalt(workspaceId: string): Promise<string | undefined> {
    const [row] = await this.db.execute<{ salt: string }[]>('select salt from suppression_salts where workspace_id = ?', [workspaceId]);
    return row?.salt;
  }

  private async salt(workspaceId: string): Promise<string> {
    await this.db.execute('insert into suppression_salts (workspace_id, salt) values (?, ?) on conflict do nothing', [workspaceId, randomBytes(32).toString('hex')]);
    return (await this.existingSalt(workspaceId))!;
  }
}

// Phone numbers and WhatsApp ids share digits, so both hash the same way.
const canonical = (id: IdentifierRef) => (id.kind === 'phone' || id.kind === 'whatsapp' ? `tel:${id.value.replace(/\D/g, '')}` : `${id.kind}:${id.value.trim().toLowerCase()}`);
const hash = (salt: string, id: IdentifierRef) => createHmac('sha256', salt).update(canonical(id)).digest('hex');
