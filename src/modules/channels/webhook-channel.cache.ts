import { Injectable } from '@nestjs/common';
import type { ChannelCredentials, ChannelType } from './adapters';

export interface CachedChannel {
  id: string;
  workspaceId: string;
  type: ChannelType;
  credentials: ChannelCredentials;
}

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Webhook verification needs the channel's decrypted secret on every delivery; caching it for a
 * few seconds saves a query and a decryption per request. Changes made in this process evict at
 * once; other API processes see a disconnect or rotated secret within TTL_MS.
 */
@Injectable()
export class WebhookChannelCache {
  private readonly entries = new Map<string, { value: CachedChannel | null; expires: number }>();

  async get(channelId: string, load: () => Promise<CachedChannel | null>): Promise<CachedChannel | null> {
    const hit = this.entries.get(channelId);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = await load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    // Unknown ids are not cached, so probing random ids cannot fill the map.
    if (value) this.entries.set(channelId, { value, expires: Date.now() + TTL_MS });
    return value;
  }

  evict(channelId: string): void {
    this.entries.delete(channelId);
  }
}
