import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { COMPLIANCE_SERVICE } from '../../src/modules/compliance/compliance.tokens';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

describe('suppression list', () => {
  let t: TestApp;
  let owner: Account;
  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const currentConsents = async (contactId: string) => (await t.http().get(ws(`/contacts/${contactId}/consents`)).set(owner.auth).expect(200)).body.current;

  async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const v = await fn();
      if (ok(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('keeps only salted hashes of an opted-out person, and a contact created again with them starts opted out', async () => {
    const email = `gone-${randomUUID().slice(0, 8)}@customer.example`;
    const phone = `+4915${Math.floor(1e8 + Math.random() * 9e8)}`;
    const first = await t.http().post(ws('/contacts')).set(owner.auth).send({ name: 'Gone', identifiers: [{ kind: 'email', value: email }, { kind: 'phone', value: phone }] }).expect(201);
    await t.http().post(ws(`/contacts/${first.body.id}/consents`)).set(owner.auth).send({ channelType: 'email', status: 'opted_out', source: 'api' }).expect(201);

    const compliance = t.app.get(COMPLIANCE_SERVICE);
    expect(await compliance.suppressContact(owner.workspaceId, first.body.id)).toBe(1); // only email was opted out

    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const rows = (await db.query('select identifier_hash, channel_type from suppressions where workspace_id = $1', [owner.workspaceId])).rows;
    await db.end();
    expect(rows).toEqual([{ identifier_hash: expect.stringMatching(/^[0-9a-f]{64}$/), channel_type: 'email' }]);
    expect(JSON.stringify(rows)).not.toContain(email);

    // Erasure would delete the contact; here its identifiers are removed so the address is free again.
    for (const id of first.body.identifiers) await t.http().delete(ws(`/contacts/${first.body.id}/identifiers/${id.id}`)).set(owner.auth).expect(204);

    const again = await t.http().post(ws('/contacts')).set(owner.auth).send({ name: 'Back', identifiers: [{ kind: 'email', value: email.toUpperCase() }] }).expect(201);
    const consents = await eventually(() => currentConsents(again.body.id), (c) => !!c.email);
    expect(consents.email).toMatchObject({ status: 'opted_out', source: 'import' });

    // Same phone again: the person never opted out of WhatsApp, so nothing is suppressed there.
    const phoneOnly = await t.http().post(ws('/contacts')).set(owner.auth).send({ identifiers: [{ kind: 'phone', value: phone }] }).expect(201);
    await new Promise((r) => setTimeout(r, 300));
    expect((await currentConsents(phoneOnly.body.id)).whatsapp).toBeUndefined();
  });
});
