import { Inject, Injectable, Optional } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { appEnv } from '../../config/app-config';
import { SecretBoxError } from './secret-box.error';

/** Optional injection token to give SecretBox an explicit key list instead of ENCRYPTION_KEY. */
export const SECRET_BOX_KEYS = 'SECRET_BOX_KEYS';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{8}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** First 8 hex chars of sha256(key): stored beside each ciphertext so rotation knows which key opens it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function parseKeys(list: readonly string[] | string): EncryptionKey[] {
  const raw = typeof list === 'string' ? list.split(',') : [...list];
  const keys = raw.map((s) => s.trim()).filter(Boolean);
  if (!keys.length) throw new SecretBoxError('No encryption key configured.');
  return keys.map((encoded, i) => {
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) {
      throw new SecretBoxError(`Encryption key #${i + 1} must be 32 bytes of base64 (got ${key.length} bytes).`);
    }
    return { id: keyIdOf(key), key };
  });
}

/**
 * AES-256-GCM for channel secrets at rest. Boxes look like
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). The first configured key encrypts;
 * every configured key decrypts, so keys can be rotated by prepending a new one.
 * The version and key id are authenticated as associated data, so they cannot be swapped.
 */
@Injectable()
export class SecretBox {
  private readonly keys: EncryptionKey[];

  constructor(@Optional() @Inject(SECRET_BOX_KEYS) keys?: readonly string[] | string) {
    this.keys = parseKeys(keys ?? appEnv().ENCRYPTION_KEY);
  }

  /** For tests and tools: a box over an explicit list of base64 keys (first encrypts). */
  static fromKeys(keys: readonly string[] | string): SecretBox {
    return new SecretBox(keys);
  }

  /** Key id of the key that encrypts new boxes. */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  encrypt(plain: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(id));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, id, b64url(iv), b64url(tag), b64url(ciphertext)].join('.');
  }

  decrypt(box: string): string {
    const parts = parse(box);
    const entry = this.keys.find((k) => k.id === parts.keyId);
    if (!entry) {
      throw new SecretBoxError(
        `Secret was encrypted with key ${parts.keyId}, which is not in ENCRYPTION_KEY (was it removed before re-encryption?).`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, entry.key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(parts.keyId));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Node's own message is generic; say what it means without echoing any input.
      throw new SecretBoxError('Secret failed authentication: it was tampered with or encrypted with a different key.');
    }
  }

  /** True when the box was not encrypted with the current (first) key and should be re-encrypted. */
  needsRotation(box: string): boolean {
    return parse(box).keyId !== this.currentKeyId;
  }

  /** Re-encrypts with the current key; returns the box unchanged when it already uses it. */
  rotate(box: string): string {
    return this.needsRotation(box) ? this.encrypt(this.decrypt(box)) : box;
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T = unknown>(box: string): T {
    return JSON.parse(this.decrypt(box)) as T;
  }
}

function aad(keyId: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}`, 'utf8');
}

function b64url(data: Buffer): string {
  return data.toString('base64url');
}

function parse(box: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = typeof box === 'string' ? box.split('.') : [];
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new SecretBoxError(`Not a ${VERSION} secret box.`);
  }
  const [, keyId, iv, tag, ciphertext] = parts;
  if (!KEY_ID.test(keyId) || ![iv, tag, ciphertext].every((p) => B64URL.test(p))) {
    throw new SecretBoxError('Malformed secret box.');
  }
  const decoded = { keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) {
    throw new SecretBoxError('Malformed secret box.');
  }
  return decoded;
}
