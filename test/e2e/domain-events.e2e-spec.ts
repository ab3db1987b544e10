import { EntityManager } from '@mikro-orm/postgresql';
import { DomainEventsSubscriber } from '../../src/common/events/domain-events.subscriber';
import { startApp, TestApp } from '../utils/test-app';

/** The after-commit rule, on the real database: nothing is emitted before the root transaction commits. */
describe('domain events after commit', () => {
  let t: TestApp;
  let em: EntityManager;
  let bus: DomainEventsSubscriber;
  const seen: string[] = [];
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
});
