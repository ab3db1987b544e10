import { EntityManager } from '@mikro-orm/postgresql';
import { randomInt } from 'node:crypto';
import { DomainEventsSubscriber } from '../../src/common/events/domain-events.subscriber';
import type { IdentityService } from '../../src/modules/identity';
import { IDENTITY_SERVICE } from '../../src/modules/identity/identity.tokens';
import { sql } from '../utils/db';
import { signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

/** The after-commit rule, on the real database: nothing is emitted before the root transaction commits. */
describe('domain events after commit', () => {
  let t: TestApp;
  let em: EntityManager;
  let bus: DomainEventsSubscriber;
  const seen: string[] = [];
  const events: { name: string; payload: Record<string, string> }[] = [];
  beforeAll(async () => {
    t = await startApp();
    // The app is loaded in its own module registry, so reach its instances through the container by name.
    const container = (t.app as unknown as { container: { getModules(): Map<string, { providers: Map<unknown, { name?: string; instance: unknown }> }> } }).container;
    for (const mod of container.getModules().values()) {
      for (const [, wrapper] of mod.providers) {
        if (wrapper.name === 'DomainEventsSubscriber') bus = wrapper.instance as DomainEventsSubscriber;
        if (wrapper.name === 'SqlEntityManager' || wrapper.name === 'EntityManager') em ??= wrapper.instance as EntityManager;
      }
    }
    const emitter = (bus as unknown as { emitter: { on(n: string, f: (p: { contactId: string }) => void): void } }).emitter;
    emitter.on('contact.created', (p) => seen.push(p.contactId));
    for (const name of ['contact.created', 'contact.merged']) emitter.on(name, (payload) => events.push({ name, payload: payload as unknown as Record<string, string> }));
  });
  afterAll(() => t.close());

  it('holds events raised in nested transactions until the root commits, and drops them on rollback', async () => {
    const fork = em.fork();
    await fork.transactional(async (outer) => {
      await outer.transactional(async (inner) => {
        bus.emitAfterCommit(inner, 'contact.created', { workspaceId: 'w', contactId: 'nested' });
      });
      expect(seen).not.toContain('nested');
    });
    expect(seen).toContain('nested');

    await expect(
      fork.transactional(async (tx) => {
        bus.emitAfterCommit(tx, 'contact.created', { workspaceId: 'w', contactId: 'rolled-back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).not.toContain('rolled-back');

    bus.emitAfterCommit(fork, 'contact.created', { workspaceId: 'w', contactId: 'no-transaction' });
    expect(seen).toContain('no-transaction');
  });

  it('emits contact.created and contact.merged from resolution and merges only once they commit', async () => {
    const owner = await signup(t, 'events');
    const { workspaceId } = owner;
    const identity = t.app.get<IdentityService>(IDENTITY_SERVICE);
    const waId = `49151${randomInt(10_000_000, 99_999_999)}`;
    const tgUser = String(randomInt(100_000_000, 999_999_999));
    const ofWorkspace = () => events.filter((e) => e.payload.workspaceId === workspaceId);

    // Resolution inside a caller's transaction: nothing is announced until that transaction commits.
    const fork = em.fork();
    const wa = await fork.transactional(async () => {
      const created = await identity.resolveSender(workspaceId, { kind: 'whatsapp', value: waId, displayName: 'Eve' }, 'whatsapp');
      expect(ofWorkspace()).toEqual([]);
      return created;
    });
    expect(ofWorkspace()).toEqual([{ name: 'contact.created', payload: { workspaceId, contactId: wa.contactId } }]);
    // Finding the same person again creates nothing and announces nothing.
    await identity.resolveSender(workspaceId, { kind: 'whatsapp', value: waId }, 'whatsapp');
    expect(ofWorkspace()).toHaveLength(1);

    // A rolled-back resolution leaves neither a contact nor an event.
    await expect(
      fork.transactional(async () => {
        await identity.resolveSender(workspaceId, { kind: 'telegram', value: tgUser }, 'telegram');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(ofWorkspace()).toHaveLength(1);
    expect(await sql('select 1 from contact_identifiers where workspace_id = $1 and value = $2', [workspaceId, tgUser])).toEqual([]);

    const tg = await identity.resolveSender(workspaceId, { kind: 'telegram', value: tgUser }, 'telegram');
    expect(ofWorkspace().at(-1)).toEqual({ name: 'contact.created', payload: { workspaceId, contactId: tg.contactId } });

    // The Telegram user's own card with the WhatsApp phone merges them: contact.merged after commit.
    const merged = await fork.transactional(async () => {
      const result = await identity.applyContactCard(workspaceId, tg.contactId, { phone: `+${waId}`, userId: tgUser }, tgUser);
      expect(ofWorkspace().map((e) => e.name)).toEqual(['contact.created', 'contact.created']);
      return result;
    });
    expect(ofWorkspace().at(-1)).toEqual({ name: 'contact.merged', payload: { workspaceId, contactId: wa.contactId, sourceContactId: tg.contactId, mergeId: merged.mergeId } });

    // A merge by hand through the API announces itself the same way.
    const other = (await t.http().post(`/v1/workspaces/${workspaceId}/contacts`).set(owner.auth).send({ name: 'Eve again', identifiers: [{ kind: 'email', value: `eve-${tgUser}@example.com` }] }).expect(201)).body;
    expect(ofWorkspace().at(-1)).toEqual({ name: 'contact.created', payload: { workspaceId, contactId: other.id } });
    await t.http().post(`/v1/workspaces/${workspaceId}/contacts/${wa.contactId}/merge`).set(owner.auth).send({ sourceContactId: other.id }).expect(200);
    const [manual] = (await t.http().get(`/v1/workspaces/${workspaceId}/contacts/${wa.contactId}/merges`).set(owner.auth).expect(200)).body.data;
    expect(ofWorkspace().at(-1)).toEqual({ name: 'contact.merged', payload: { workspaceId, contactId: wa.contactId, sourceContactId: other.id, mergeId: manual.id } });
    expect(ofWorkspace().map((e) => e.name)).toEqual(['contact.created', 'contact.created', 'contact.merged', 'contact.created', 'contact.merged']);
  });
});
