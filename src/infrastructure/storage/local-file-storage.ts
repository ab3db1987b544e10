import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStorage, PutOptions, StoredFile, StoredFileContent, StoredFileStream } from './file-storage';
import { FileTooLargeError, InvalidStorageKeyError, StoredFileNotFoundError } from './storage.errors';

export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
const META_SUFFIX = '.meta.json';
const SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_KEY_LENGTH = 512;
const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

export interface LocalFileStorageOptions {
  /** Directory the files live under (created on first write). */
  root: string;
  /** Default size limit of one file. */
  maxBytes?: number;
}

interface Sidecar {
  contentType: string;
  size: number;
  sha256: string;
  storedAt: string;
}

const isMissing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');
const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * FileStorage on the local disk (STORAGE_DIR): `<root>/<key>` holds the bytes and
 * `<root>/<key>.meta.json` the content type and checksum. Fine for one host or a shared volume;
 * an object-store implementation can replace it behind the same FILE_STORAGE token.
 */
export class LocalFileStorage implements FileStorage {
  readonly root: string;
  readonly maxBytes: number;

  constructor(options: LocalFileStorageOptions) {
    this.root = resolve(options.root);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  async put(key: string, data: Buffer, contentType: string, options: PutOptions = {}): Promise<StoredFile> {
    const path = this.pathOf(key);
    const limit = options.maxBytes ?? this.maxBytes;
    if (data.length > limit) throw new FileTooLargeError(data.length, limit);
    const stored: StoredFile = { key, size: data.length, sha256: sha256Hex(data), contentType: contentType || FALLBACK_CONTENT_TYPE };
    const sidecar: Sidecar = { contentType: stored.contentType, size: stored.size, sha256: stored.sha256, storedAt: new Date().toISOString() };

    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    // Temp names start with a dot, which keys may not, so they can never collide with a key.
    const tmpData = join(dir, `.${basename(path)}.${randomUUID()}.tmp`);
    const tmpMeta = `${tmpData}${META_SUFFIX}`;
    try {
      await writeDurably(tmpData, data);
      await writeDurably(tmpMeta, Buffer.from(JSON.stringify(sidecar)));
      // rename is atomic on one filesystem: readers see the old file or the new one, never half.
      await rename(tmpMeta, `${path}${META_SUFFIX}`);
      await rename(tmpData, path);
    } catch (e) {
      await Promise.all([rm(tmpData, { force: true }), rm(tmpMeta, { force: true })]);
      throw e;
    }
    return stored;
  }

  async putStream(key: string, data: Readable, contentType: string): Promise<StoredFile> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const tmpData = join(dir, `.${basename(path)}.${randomUUID()}.tmp`);
    const tmpMeta = `${tmpData}${META_SUFFIX}`;
    const digest = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _enc, done) {
        digest.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const out = createWriteStream(tmpData, { flags: 'wx' });
      await pipeline(data, measure, out);
      await syncFile(tmpData);
      const stored: StoredFile = { key, size, sha256: digest.digest('hex'), contentType: contentType || FALLBACK_CONTENT_TYPE };
      const sidecar: Sidecar = { contentType: stored.contentType, size, sha256: stored.sha256, storedAt: new Date().toISOString() };
      await writeDurably(tmpMeta, Buffer.from(JSON.stringify(sidecar)));
      await rename(tmpMeta, `${path}${META_SUFFIX}`);
      await rename(tmpData, path);
      return stored;
    } catch (e) {
      await Promise.all([rm(tmpData, { force: true }), rm(tmpMeta, { force: true })]);
      throw e;
    }
  }

  async get(key: string): Promise<StoredFileContent> {
    const path = this.pathOf(key);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (e) {
      if (isMissing(e)) throw new StoredFileNotFoundError(key);
      throw e;
    }
    const meta = await this.readSidecar(path);
    // A crash between the two renames can leave a sidecar from another write; trust it only if it fits.
    const sha256 = meta?.size === data.length ? meta.sha256 : sha256Hex(data);
    return { key, data, size: data.length, sha256, contentType: meta?.contentType ?? FALLBACK_CONTENT_TYPE };
  }

  async getStream(key: string): Promise<StoredFileStream> {
    const path = this.pathOf(key);
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new StoredFileNotFoundError(key);
      size = info.size;
    } catch (e) {
      if (isMissing(e)) throw new StoredFileNotFoundError(key);
      throw e;
    }
    const meta = await this.readSidecar(path);
    return {
      key,
      size,
      sha256: meta?.size === size ? meta.sha256 : '',
      contentType: meta?.contentType ?? FALLBACK_CONTENT_TYPE,
      stream: createReadStream(path),
    };
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await rm(`${path}${META_SUFFIX}`, { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  /** Maps a key to its path, refusing anything that could leave the root or clash with our own files. */
  private pathOf(key: string): string {
    if (typeof key !== 'string' || key.length === 0) throw new InvalidStorageKeyError(String(key), 'empty');
    if (key.length > MAX_KEY_LENGTH) throw new InvalidStorageKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
    if (isAbsolute(key) || key.startsWith('/') || key.includes('\\')) throw new InvalidStorageKeyError(key, 'must be a relative path');
    for (const segment of key.split('/')) {
      if (segment === '' || segment === '.' || segment === '..') throw new InvalidStorageKeyError(key, 'empty, "." or ".." segment');
      if (!SEGMENT.test(segment)) throw new InvalidStorageKeyError(key, 'segments may only contain A-Z a-z 0-9 . _ -');
      if (segment.startsWith('.')) throw new InvalidStorageKeyError(key, 'segments may not start with "."');
    }
    if (key.endsWith(META_SUFFIX)) throw new InvalidStorageKeyError(key, `"${META_SUFFIX}" is reserved`);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new InvalidStorageKeyError(key, 'resolves outside the storage directory');
    return path;
  }

  private async readSidecar(path: string): Promise<Sidecar | undefined> {
    try {
      return JSON.parse(await readFile(`${path}${META_SUFFIX}`, 'utf8')) as Sidecar;
    } catch {
      // Without a sidecar the bytes are still served, just as octet-stream.
      return undefined;
    }
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes and fsyncs, so a rename after a crash never exposes an empty or partial file. */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
