import { createHash, randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';
import { SecretBoxError } from './secret-box.error';

const newKey = () => randomBytes(32).toString('base64');
const idOf = (key: string) => createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);

describe('SecretBox', () => {
  const oldKey = newKey();
  const currentKey = newKey();

  it('round-trips text, including unicode and the empty string', () => {
    const box = SecretBox.fromKeys([currentKey]);
    for (const plain of ['EAAG-token-123', 'pässwörd 🔐', '']) {
      expect(box.decrypt(box.encrypt(plain))).toBe(plain);
    }
  });

  it('writes v1.<keyId>.<iv>.<tag>.<ciphertext> with the sha256-derived key id', () => {
    const sealed = SecretBox.fromKeys(currentKey).encrypt('secret');
    const parts = sealed.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(idOf(currentKey));
    expect(parts.slice(2).every((p) => /^[A-Za-z0-9_-]+$/.test(p))).toBe(true);
    expect(sealed).not.toContain('secret');
  });

  it('uses a random IV, so the same plaintext encrypts differently each time', () => {
    const box = SecretBox.fromKeys([currentKey]);
    const a = box.encrypt('same');
    const b = box.encrypt('same');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('detects tampering with the ciphertext, the tag, the IV or the key id', () => {
    const box = SecretBox.fromKeys([currentKey, oldKey]);
    const sealed = box.encrypt('do not touch');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const tampered = [2, 3, 4].map((i) => sealed.split('.').map((p, j) => (j === i ? flip(p) : p)).join('.'));
    // Claiming the other (valid) key id must fail too: the key id is authenticated data.
    tampered.push(sealed.replace(idOf(currentKey), idOf(oldKey)));
    for (const bad of tampered) {
      expect(() => box.decrypt(bad)).toThrow(SecretBoxError);
      expect(() => box.decrypt(bad)).toThrow(/tampered|different key/);
    }
  });

  it('decrypts a box made with the second key of a rotated list and flags it for rotation', () => {
    const before = SecretBox.fromKeys([oldKey]);
    const sealed = before.encrypt('rotate me');
    const after = SecretBox.fromKeys(`${currentKey},${oldKey}`);
    expect(after.decrypt(sealed)).toBe('rotate me');
    expect(after.needsRotation(sealed)).toBe(true);
    expect(after.needsRotation(after.encrypt('fresh'))).toBe(false);
    const rotated = after.rotate(sealed);
    expect(rotated.split('.')[1]).toBe(idOf(currentKey));
    expect(after.decrypt(rotated)).toBe('rotate me');
    expect(after.rotate(rotated)).toBe(rotated);
  });

  it('throws a clear error naming the key id (not the plaintext) when the key is unknown', () => {
    const sealed = SecretBox.fromKeys([oldKey]).encrypt('top-secret-value');
    const other = SecretBox.fromKeys([currentKey]);
    expect(() => other.decrypt(sealed)).toThrow(SecretBoxError);
    try {
      other.decrypt(sealed);
    } catch (e) {
      expect((e as Error).message).toContain(idOf(oldKey));
      expect((e as Error).message).not.toContain('top-secret-value');
    }
  });

  it('throws when the key under the stored id is not the one that sealed the box', () => {
    const sealed = SecretBox.fromKeys([oldKey]).encrypt('x');
    const forged = sealed.replace(idOf(oldKey), idOf(currentKey));
    expect(() => SecretBox.fromKeys([currentKey]).decrypt(forged)).toThrow(/tampered|different key/);
  });

  it('rejects malformed boxes and bad key lists', () => {
    const box = SecretBox.fromKeys([currentKey]);
    for (const bad of ['', 'plain text', 'v2.a.b.c.d', 'v1.zzzzzzzz.a.b.c', `v1.${idOf(currentKey)}.AA.AA.AA`]) {
      expect(() => box.decrypt(bad)).toThrow(SecretBoxError);
    }
    expect(() => box.needsRotation('nope')).toThrow(SecretBoxError);
    expect(() => SecretBox.fromKeys([])).toThrow(/No encryption key/);
    expect(() => SecretBox.fromKeys(['c2hvcnQ='])).toThrow(/32 bytes/);
  });

  it('round-trips JSON', () => {
    const box = SecretBox.fromKeys([currentKey]);
    const creds = { accessToken: 'EAAG…', appSecret: 'abc', nested: { n: 1, list: [true, null] } };
    expect(box.decryptJson(box.encryptJson(creds))).toEqual(creds);
  });

  it('reads ENCRYPTION_KEY from the environment by default', () => {
    const box = new SecretBox();
    expect(box.decrypt(box.encrypt('env key'))).toBe('env key');
    expect(box.currentKeyId).toMatch(/^[0-9a-f]{8}$/);
  });
});
