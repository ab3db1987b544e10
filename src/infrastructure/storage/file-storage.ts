import { Inject } from '@nestjs/common';
import type { Readable } from 'node:stream';

/**
 * Injection token of the FileStorage. A string (not a Symbol) so that tests holding a separate
 * module registry (jest.isolateModules in startApp) can still look it up in the app container.
 */
export const FILE_STORAGE = 'FILE_STORAGE';

/** Injects the configured FileStorage. */
export const InjectFileStorage = () => Inject(FILE_STORAGE);

export interface StoredFile {
  key: string;
  size: number;
  /** Hex sha256 of the bytes. */
  sha256: string;
  contentType: string;
}

export interface StoredFileContent extends StoredFile {
  data: Buffer;
}

export interface StoredFileStream extends StoredFile {
  stream: Readable;
}

export interface PutOptions {
  /** Overrides the storage's default size limit for this write. */
  maxBytes?: number;
}

/**
 * Where attachments and exports are kept. Keys are relative, slash-separated paths of
 * `[A-Za-z0-9._-]` segments (e.g. `workspaces/<id>/attachments/<uuid>`); callers choose them.
 */
export interface FileStorage {
  /** Writes atomically (readers see the old file or the new one, never a partial one). */
  put(key: string, data: Buffer, contentType: string, options?: PutOptions): Promise<StoredFile>;
  /** Throws StoredFileNotFoundError when absent. */
  get(key: string): Promise<StoredFileContent>;
  /** Like get, for large files sent straight to an HTTP reply. */
  getStream(key: string): Promise<StoredFileStream>;
  /** Writes a stream of unknown length (exports) atomically, without holding it in memory; no size limit. */
  putStream(key: string, data: Readable, contentType: string): Promise<StoredFile>;
  /** Removing a missing file is not an error (deletes are retried by sweeps). */
  delete(key: string): Promise<void>;
  /** Removes every file under a key prefix (a closed workspace's `<workspaceId>` folder). */
  deletePrefix(prefix: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
