import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { SandboxProvider } from './sandbox.types';

export interface SandboxMedia {
  /** Graph media id (digits) or Telegram file_id. */
  id: string;
  provider: SandboxProvider;
  data: Buffer;
  contentType: string;
  filename?: string;
  size: number;
  /** Hex sha256, as Graph reports it. */
  sha256: string;
  /** Telegram: file_unique_id and the file_path used by file downloads. */
  uniqueId: string;
  filePath?: string;
  createdAt: Date;
}

export interface SandboxMediaInput {
  data: Buffer;
  contentType: string;
  filename?: string;
}

/** Oldest files are evicted past these, so a long-running sandbox stays small. */
const MAX_FILES = 500;
const MAX_TOTAL_BYTES = 200 * 1024 * 1024;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
  'audio/ogg': 'oga',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
  'text/plain': 'txt',
};

/**
 * Files uploaded to the fakes (WhatsApp media, Telegram photos and documents). Tests seed it
 * with `put` to simulate media a customer sent, then reference the id in an inbound webhook.
 */
@Injectable()
export class SandboxMediaStore {
  private readonly files = new Map<string, SandboxMedia>();
  private totalBytes = 0;
  private telegramCounter = 0;

  put(provider: SandboxProvider, input: SandboxMediaInput): SandboxMedia {
    const media: SandboxMedia = {
      id: provider === 'telegram' ? `BQAC${randomBytes(24).toString('base64url')}` : String(1e15 + randomInt(0, 2 ** 47)),
      provider,
      data: input.data,
      contentType: input.contentType || 'application/octet-stream',
      ...(input.filename ? { filename: input.filename } : {}),
      size: input.data.length,
      sha256: createHash('sha256').update(input.data).digest('hex'),
      uniqueId: `AgAD${randomBytes(8).toString('base64url')}`,
      createdAt: new Date(),
    };
    if (provider === 'telegram') media.filePath = this.telegramPath(media);
    this.files.set(media.id, media);
    this.totalBytes += media.size;
    this.evict();
    return media;
  }

  get(provider: SandboxProvider, id: string): SandboxMedia | undefined {
    const media = this.files.get(id);
    return media?.provider === provider ? media : undefined;
  }

  /** Telegram file downloads address files by file_path, not file_id. */
  getByPath(filePath: string): SandboxMedia | undefined {
    for (const media of this.files.values()) if (media.filePath === filePath) return media;
    return undefined;
  }

  clear(): void {
    this.files.clear();
    this.totalBytes = 0;
  }

  private telegramPath(media: SandboxMedia): string {
    const folder = media.contentType.startsWith('image/') ? 'photos' : 'documents';
    const fromName = media.filename?.match(/\.([A-Za-z0-9]{1,8})$/)?.[1];
    const ext = fromName ?? EXTENSIONS[media.contentType] ?? 'bin';
    return `${folder}/file_${++this.telegramCounter}.${ext}`;
  }

  private evict(): void {
    for (const [id, media] of this.files) {
      if (this.files.size <= MAX_FILES && this.totalBytes <= MAX_TOTAL_BYTES) return;
      this.files.delete(id);
      this.totalBytes -= media.size;
    }
  }
}
