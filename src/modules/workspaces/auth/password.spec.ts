import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { matchesHash, sha256 } from './secret-token';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterz', stored)).resolves.toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('never matches the dummy hash used for unknown emails', async () => {
    await expect(verifyPassword('anything at all', DUMMY_HASH)).resolves.toBe(false);
  });

  it('compares token hashes', () => {
    expect(matchesHash('abc', sha256('abc'))).toBe(true);
    expect(matchesHash('abd', sha256('abc'))).toBe(false);
    expect(matchesHash('abc', 'short')).toBe(false);
  });
});
