import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SecretBox } from '../../src/infrastructure/crypto';
import { rotateKeys } from '../../src/infrastructure/crypto/cli/rotate-keys';
import { connectWhatsapp } from '../utils/channels';
import { signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

describe('keys:rotate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('re-encrypts channel secrets with the first key; the app keeps working with the new list', async () => {
    const owner = await signup(t);
    const wa = await connectWhatsapp(t, owner);
    const oldKey = process.env.ENCRYPTION_KEY ?? (await import('../../src/config')).appEnv().ENCRYPTION_KEY;
    const newKey = randomBytes(32).toString('base64');
    const box = SecretBox.fromKeys([newKey, ...oldKey.split(',')]);

    const result = await rotateKeys(process.env.DATABASE_URL, box, owner.workspaceId);
    expect(result.rotated).toBeGreaterThanOrEqual(1);
    expect(result.keyId).toBe(box.currentKeyId);

    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query('select secrets from channels where id = $1', [wa.id]);
    await db.end();
    const stored = rows[0].secrets as string;
    expect(stored.split('.')[1]).toBe(box.currentKeyId);
    expect(SecretBox.fromKeys(newKey).decryptJson<{ appSecret: string }>(stored).appSecret).toBe(wa.appSecret);
    expect(() => SecretBox.fromKeys(oldKey).decrypt(stored)).toThrow();
    // Idempotent: nothing left on the old key.
    expect((await rotateKeys(process.env.DATABASE_URL, box, owner.workspaceId)).rotated).toBe(0);

    // An app configured with the new list still verifies this channel's webhooks.
    const rotatedApp = await startApp({ ENCRYPTION_KEY: [newKey, oldKey].join(',') });
    try {
      const res = await rotatedApp.http().get(`/v1/workspaces/${owner.workspaceId}/channels/${wa.id}`).set(owner.auth).expect(200);
      expect(res.body.config.appSecret).toBe(`••••${wa.appSecret.slice(-4)}`);
    } finally {
      await rotatedApp.close();
    }
  });
});
