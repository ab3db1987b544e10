import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalFileStorage } from './local-file-storage';
import { FileTooLargeError, InvalidStorageKeyError, StoredFileNotFoundError } from './storage.errors';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const UNSAFE_KEYS = [
  '../escape',
  'a/../../escape',
  'a/./b',
  '/etc/passwd',
  'a//b',
  'a\\b',
  '.hidden',
  'a/.tmp',
  'with space',
  'nul\0byte',
  'x.meta.json',
  '',
  'a/',
  'k'.repeat(513),
];

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('LocalFileStorage', () => {
  let root: string;
  let storage: LocalFileStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'nz-storage-'));
    storage = new LocalFileStorage({ root });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores bytes with size, sha256 and content type, and reads them back', async () => {
    const data = Buffer.from('%PDF-1.7 hello');
    const stored = await storage.put('workspaces/w1/attachments/a-1.pdf', data, 'application/pdf');
    expect(stored).toEqual({ key: 'workspaces/w1/attachments/a-1.pdf', size: data.length, sha256: sha(data), contentType: 'application/pdf' });
    const got = await storage.get('workspaces/w1/attachments/a-1.pdf');
    expect(got.data.equals(data)).toBe(true);
    expect(got).toMatchObject({ contentType: 'application/pdf', size: data.length, sha256: sha(data) });
    expect(await readFile(join(root, 'workspaces/w1/attachments/a-1.pdf'))).toEqual(data);
    const meta = JSON.parse(await readFile(join(root, 'workspaces/w1/attachments/a-1.pdf.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ contentType: 'application/pdf', sha256: sha(data), size: data.length });
  });

  it('streams a stored file', async () => {
    const data = Buffer.alloc(300_000, 7);
    await storage.put('exports/x.zip', data, 'application/zip');
    const { stream, size, contentType, sha256 } = await storage.getStream('exports/x.zip');
    expect({ size, contentType, sha256 }).toEqual({ size: data.length, contentType: 'application/zip', sha256: sha(data) });
    expect((await collect(stream)).equals(data)).toBe(true);
  });

  it('stores a stream of unknown length and removes a whole prefix', async () => {
    const data = Buffer.alloc(200_000, 3);
    const stored = await storage.putStream('w1/exports/e.tar.gz', Readable.from([data.subarray(0, 50_000), data.subarray(50_000)]), 'application/gzip');
    expect(stored).toEqual({ key: 'w1/exports/e.tar.gz', size: data.length, sha256: sha(data), contentType: 'application/gzip' });
    expect((await storage.get('w1/exports/e.tar.gz')).data.equals(data)).toBe(true);
    await storage.put('w1/media/m', Buffer.from('x'), 'text/plain');
    await storage.put('w2/media/m', Buffer.from('y'), 'text/plain');
    await storage.deletePrefix('w1');
    expect(await storage.exists('w1/exports/e.tar.gz')).toBe(false);
    expect(await storage.exists('w1/media/m')).toBe(false);
    expect(await storage.exists('w2/media/m')).toBe(true);
    await storage.deletePrefix('w1');
  });

  it('overwrites atomically and leaves no temp files behind', async () => {
    await storage.put('a/b.txt', Buffer.from('one'), 'text/plain');
    await storage.put('a/b.txt', Buffer.from('two!'), 'text/markdown');
    const got = await storage.get('a/b.txt');
    expect(got.data.toString()).toBe('two!');
    expect(got.contentType).toBe('text/markdown');
    expect((await readdir(join(root, 'a'))).sort()).toEqual(['b.txt', 'b.txt.meta.json']);
  });

  it('reports existence and deletes idempotently', async () => {
    expect(await storage.exists('k/1')).toBe(false);
    await storage.put('k/1', Buffer.from('x'), 'text/plain');
    expect(await storage.exists('k/1')).toBe(true);
    expect(await storage.exists('k')).toBe(false);
    await storage.delete('k/1');
    await storage.delete('k/1');
    expect(await storage.exists('k/1')).toBe(false);
    expect(await readdir(join(root, 'k'))).toEqual([]);
  });

  it('throws StoredFileNotFoundError for a missing key', async () => {
    await expect(storage.get('nope/missing')).rejects.toBeInstanceOf(StoredFileNotFoundError);
    await expect(storage.getStream('nope/missing')).rejects.toBeInstanceOf(StoredFileNotFoundError);
    await storage.put('dir/file', Buffer.from('x'), 'text/plain');
    await expect(storage.get('dir')).rejects.toThrow();
    await expect(storage.get('dir/file/deeper')).rejects.toBeInstanceOf(StoredFileNotFoundError);
  });

  it('enforces the default 25 MiB limit and a per-storage or per-call limit, writing nothing', async () => {
    const big = Buffer.alloc(25 * 1024 * 1024 + 1);
    await expect(storage.put('big/one', big, 'application/octet-stream')).rejects.toBeInstanceOf(FileTooLargeError);
    const small = new LocalFileStorage({ root, maxBytes: 10 });
    const err = await small.put('big/two', Buffer.alloc(11), 'text/plain').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(err).toMatchObject({ code: 'payload_too_large', status: 413, size: 11, limit: 10 });
    await expect(small.put('big/three', Buffer.alloc(11), 'text/plain', { maxBytes: 100 })).resolves.toMatchObject({ size: 11 });
    await expect(storage.put('big/four', Buffer.alloc(5), 'text/plain', { maxBytes: 4 })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await storage.exists('big/one')).toBe(false);
    expect(await storage.exists('big/two')).toBe(false);
  });

  it.each(UNSAFE_KEYS.map((k) => [k.length > 40 ? `${k.length}-character key` : k, k]))('rejects the unsafe key %j', async (_label, key) => {
    await expect(storage.put(key, Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it('serves bytes as octet-stream when the sidecar is missing', async () => {
    await storage.put('s/file', Buffer.from('abc'), 'text/plain');
    await rm(join(root, 's/file.meta.json'));
    const got = await storage.get('s/file');
    expect(got).toMatchObject({ contentType: 'application/octet-stream', sha256: sha(Buffer.from('abc')) });
  });

  it('recomputes the checksum when the sidecar does not match the bytes', async () => {
    await storage.put('s/file', Buffer.from('abc'), 'text/plain');
    await writeFile(join(root, 's/file'), 'abcdef');
    expect((await storage.get('s/file')).sha256).toBe(sha(Buffer.from('abcdef')));
  });
});
