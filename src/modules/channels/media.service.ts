import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { FileStorage, InjectFileStorage } from '../../infrastructure/storage';
import { adapterFor, ChannelCredentials, ChannelType, MediaRef, ProviderError } from './adapters';

export interface StoredMedia {
  key: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

const ATTEMPTS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Downloads inbound media from the provider into file storage, retrying transient failures. */
@Injectable()
export class MediaService {
  constructor(@InjectFileStorage() private readonly storage: FileStorage) {}

  async fetch(workspaceId: string, type: ChannelType, creds: ChannelCredentials, ref: MediaRef): Promise<StoredMedia> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const file = await adapterFor(type).downloadMedia(creds, ref);
        const sha256 = createHash('sha256').update(file.data).digest('hex');
        const key = `${workspaceId}/media/${creds.channelId}/${sha256}`;
        const contentType = ref.contentType ?? file.contentType;
        const stored = await this.storage.put(key, file.data, contentType);
        return { key: stored.key, filename: file.filename ?? ref.filename ?? 'file', contentType, size: stored.size, sha256 };
      } catch (e) {
        lastError = e;
        if (e instanceof ProviderError && !e.classification.retryable) break;
        if (attempt < ATTEMPTS) await sleep(200 * 2 ** attempt);
      }
    }
    throw lastError;
  }

  /** The provider's handle of a media part (file id, or Postmark's inline content id/name). */
  static refKey(ref: MediaRef): string {
    return ref.providerFileId ?? ref.contentId ?? ref.filename ?? 'inline';
  }
}
