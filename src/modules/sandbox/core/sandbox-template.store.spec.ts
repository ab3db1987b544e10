import { bodyPlaceholderCount, DEFAULT_SANDBOX_TEMPLATES, SandboxTemplateStore } from './sandbox-template.store';

describe('SandboxTemplateStore', () => {
  it('starts with order_update (2 body placeholders) and welcome (none), approved, en_US', () => {
    const store = new SandboxTemplateStore();
    const [orderUpdate, welcome] = store.list();
    expect([orderUpdate.name, welcome.name]).toEqual(['order_update', 'welcome']);
    expect(store.list().every((t) => t.status === 'APPROVED' && t.language === 'en_US')).toBe(true);
    expect(bodyPlaceholderCount(orderUpdate)).toBe(2);
    expect(bodyPlaceholderCount(welcome)).toBe(0);
  });

  it('adds, replaces by name and language, seeds and resets without touching the defaults', () => {
    const store = new SandboxTemplateStore();
    const added = store.add({ name: 'promo', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: '{{1}} {{1}} {{2}}' }] });
    expect(added).toMatchObject({ id: expect.stringMatching(/^\d+$/), status: 'APPROVED', category: 'MARKETING' });
    expect(bodyPlaceholderCount(added)).toBe(2);
    const replaced = store.add({ name: 'promo', language: 'en_US', status: 'PAUSED', components: [] });
    expect(replaced.id).toBe(added.id);
    expect(store.find('promo', 'en_US')?.status).toBe('PAUSED');
    expect(store.find('promo', 'pt_BR')).toBeUndefined();

    store.seed([{ name: 'only', language: 'de_DE', components: [] }]);
    expect(store.list().map((t) => t.name)).toEqual(['only']);
    store.list()[0].name = 'mutated';
    expect(store.list()[0].name).toBe('only');

    store.reset();
    expect(store.list().map((t) => t.name)).toEqual(['order_update', 'welcome']);
    expect(DEFAULT_SANDBOX_TEMPLATES).toHaveLength(2);
  });
});
